#include "huiyin/app/knowledge.h"

#include "huiyin/common/text.h"

#include <algorithm>
#include <charconv>
#include <deque>

#include "huiyin/app/audit.h"
#include "huiyin/app/crypto.h"
#include "huiyin/app/orgs.h"

namespace huiyin::app {
namespace {

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxBody = 20000;
constexpr size_t kMaxKeywords = 20;
constexpr size_t kMaxKeyword = 50;
constexpr int kMaxLimit = 100;
// Terms this long are served by the trigram indexes; shorter ones by a substring scan.
constexpr size_t kTrigramMinChars = 3;

constexpr std::string_view kArticleColumns =
    "a.id, a.title, a.body, a.keywords, a.category_code, a.org_id, o.name, a.status, a.version, "
    "a.created_at, a.created_by, a.updated_at, a.updated_by, a.published_at, o.path";

struct LoadedArticle {
  Article article;
  std::string org_path;
};

std::vector<std::string> SplitKeywords(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string JoinKeywords(const std::vector<std::string>& keywords) {
  std::string out;
  for (const auto& k : keywords) {
    if (!out.empty()) out += ',';
    out += k;
  }
  return out;
}

LoadedArticle ArticleOf(const storage::Row& row) {
  LoadedArticle l;
  Article& a = l.article;
  a.id = row.Int(0);
  a.title = row.String(1);
  a.body = row.String(2);
  a.keywords = SplitKeywords(row.Text(3));
  a.category_code = row.OptString(4);
  a.org_id = row.Int(5);
  a.org_name = row.String(6);
  a.status = ParseArticleStatus(row.Text(7)).value_or(ArticleStatus::kDraft);
  a.version = row.Int(8);
  a.created_at = FromMillis(row.Int(9));
  a.created_by = row.OptInt(10);
  a.updated_at = FromMillis(row.Int(11));
  a.updated_by = row.OptInt(12);
  if (auto p = row.OptInt(13)) a.published_at = FromMillis(*p);
  l.org_path = row.String(14);
  return l;
}

// What the indexes search: the three fields on separate lines (so no term spans two of them).
std::string SearchTextOf(const ArticleInput& in) {
  return AsciiLower(in.title + "\n" + in.body + "\n" + JoinKeywords(in.keywords));
}

std::string Trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

Status ValidateInput(ArticleInput& in) {
  std::vector<FieldError> errors;
  in.title = Trim(in.title);
  if (in.title.empty() || CodePoints(in.title) > kMaxTitle) {
    errors.push_back({"title", "must be 1–200 characters"});
  }
  if (Trim(in.body).empty() || CodePoints(in.body) > kMaxBody) {
    errors.push_back({"body", "must be 1–20000 characters"});
  }
  if (in.keywords.size() > kMaxKeywords) {
    errors.push_back({"keywords", "at most 20 keywords"});
  }
  std::vector<std::string> clean;
  for (size_t i = 0; i < in.keywords.size() && i < kMaxKeywords; ++i) {
    std::string k = Trim(in.keywords[i]);
    if (k.empty() || CodePoints(k) > kMaxKeyword || k.find_first_of(",\n") != std::string::npos) {
      errors.push_back(
          {"keywords/" + std::to_string(i), "must be 1–50 characters without ',' or line breaks"});
      continue;
    }
    if (std::find(clean.begin(), clean.end(), k) == clean.end()) clean.push_back(std::move(k));
  }
  in.keywords = std::move(clean);
  if (in.category_code && in.category_code->empty()) in.category_code.reset();
  if (!errors.empty()) {
    std::string detail = errors.front().field + ": " + errors.front().message;
    if (errors.size() > 1) detail += " (and " + std::to_string(errors.size() - 1) + " more)";
    return Error(ErrorCode::kInvalidArgument, detail, std::move(errors));
  }
  return Status::Ok();
}

Status CheckCategory(storage::Tx& tx, const std::optional<std::string>& code) {
  if (!code) return Status::Ok();
  HUIYIN_ASSIGN_OR_RETURN(auto n,
                          tx.QueryInt("SELECT COUNT(*) FROM categories WHERE code = ?", {*code}));
  if (n.value_or(0) == 0) {
    return FieldInvalid("category",
                        "no category '" + *code + "': pick one from GET /api/v1/categories");
  }
  return Status::Ok();
}

Result<std::optional<LoadedArticle>> LoadArticle(storage::Tx& tx, int64_t id) {
  std::optional<LoadedArticle> out;
  HUIYIN_TRY(tx.Query("SELECT " + std::string(kArticleColumns) +
                          " FROM kb_articles a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?",
                      {id}, [&](const storage::Row& row) { out = ArticleOf(row); }));
  return out;
}

Error ArticleNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "no knowledge article " + std::to_string(id));
}

// The article if the actor may edit it; out of scope looks the same as absent.
Result<LoadedArticle> LoadEditable(storage::Tx& tx, const Principal& actor, int64_t id) {
  HUIYIN_ASSIGN_OR_RETURN(auto loaded, LoadArticle(tx, id));
  if (!loaded || !actor.CanOn(kKnowledgeEditPermission, loaded->org_path)) {
    return ArticleNotFound(id);
  }
  return std::move(*loaded);
}

Error StaleVersion(int64_t id, int64_t given, int64_t current) {
  return MakeError(ErrorCode::kVersionConflict,
                   "knowledge article " + std::to_string(id) + " is at version " +
                       std::to_string(current) + ", not " + std::to_string(given) +
                       ": someone changed it meanwhile; reload it and apply your change again");
}

std::optional<int64_t> ActorId(const Principal& actor) {
  return actor.user_id != 0 ? std::optional<int64_t>(actor.user_id) : std::nullopt;
}

Status Audit(storage::Tx& tx, const Principal& actor, const RequestMeta& meta, std::string action,
             const Article& a) {
  AuditRecord rec = AuditOf(actor, meta, std::move(action), "kb_article", std::to_string(a.id));
  rec.digest = Crypto::Sha256Hex(
      "kb_article|" + std::to_string(a.id) + "|" + std::to_string(a.version) + "|" +
      std::string(ArticleStatusName(a.status)) + "|" + std::to_string(a.org_id) + "|" + a.title +
      "|" + a.body + "|" + JoinKeywords(a.keywords) + "|" + a.category_code.value_or(""));
  auto seq = AppendAudit(tx, rec, meta.now);
  if (!seq.ok()) return std::move(seq).error();
  return Status::Ok();
}

struct Cursor {
  int64_t score = 0;
  int64_t updated_at = 0;
  int64_t id = 0;
};

std::string FormatCursor(const Cursor& c) {
  return std::to_string(c.score) + "." + std::to_string(c.updated_at) + "." + std::to_string(c.id);
}

std::optional<Cursor> ParseCursor(std::string_view text) {
  Cursor c;
  int64_t* parts[] = {&c.score, &c.updated_at, &c.id};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    auto r = std::from_chars(p, end, *parts[i]);
    if (r.ec != std::errc{}) return std::nullopt;
    p = r.ptr;
    if (i < 2) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  return c;
}

Result<Article> Transition(storage::Database& db, const Principal& actor, int64_t id,
                           std::optional<int64_t> version, ArticleStatus to,
                           const RequestMeta& meta) {
  return db.WriteValue<Article>([&](storage::Tx& tx) -> Result<Article> {
    HUIYIN_ASSIGN_OR_RETURN(LoadedArticle cur, LoadEditable(tx, actor, id));
    if (version && *version != cur.article.version) {
      return StaleVersion(id, *version, cur.article.version);
    }
    if (cur.article.status == to) {
      return MakeError(ErrorCode::kIllegalTransition, "knowledge article " + std::to_string(id) +
                                                          " is already " +
                                                          std::string(ArticleStatusName(to)));
    }
    const int64_t now = ToMillis(meta.now);
    std::string sql =
        "UPDATE kb_articles SET status = ?, version = version + 1, updated_at = ?, "
        "updated_by = ?";
    if (to == ArticleStatus::kPublished) sql += ", published_at = ?";
    sql += " WHERE id = ? AND version = ?";
    const std::string status(ArticleStatusName(to));
    Result<int64_t> changed =
        to == ArticleStatus::kPublished
            ? tx.Exec(sql, {status, now, ActorId(actor), now, id, cur.article.version})
            : tx.Exec(sql, {status, now, ActorId(actor), id, cur.article.version});
    HUIYIN_TRY(changed);
    if (*changed != 1) return StaleVersion(id, cur.article.version, cur.article.version + 1);
    HUIYIN_ASSIGN_OR_RETURN(auto after, LoadArticle(tx, id));
    HUIYIN_TRY(Audit(tx, actor, meta,
                     to == ArticleStatus::kPublished ? "kb.article_publish" : "kb.article_archive",
                     after->article));
    return after->article;
  });
}

}  // namespace

std::string_view ArticleStatusName(ArticleStatus status) {
  switch (status) {
    case ArticleStatus::kDraft:
      return "draft";
    case ArticleStatus::kPublished:
      return "published";
    case ArticleStatus::kArchived:
      return "archived";
  }
  return "draft";
}

std::optional<ArticleStatus> ParseArticleStatus(std::string_view name) {
  for (auto s : {ArticleStatus::kDraft, ArticleStatus::kPublished, ArticleStatus::kArchived}) {
    if (ArticleStatusName(s) == name) return s;
  }
  return std::nullopt;
}

Result<ArticlePage> KnowledgeService::Search(const Principal* viewer, const ArticleQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return FieldInvalid("limit", "must be between 1 and 100");
  }
  HUIYIN_ASSIGN_OR_RETURN(std::vector<std::string> terms, SearchTerms(query.q));
  std::optional<Cursor> cursor;
  if (!query.cursor.empty()) {
    cursor = ParseCursor(query.cursor);
    if (!cursor) {
      return FieldInvalid("cursor", "is not a cursor this API returned: start again without it");
    }
  }
  std::vector<std::string> scopes;
  if (query.status != ArticleStatus::kPublished) {
    if (viewer != nullptr) {
      for (const auto& g : viewer->grants) {
        if (g.scope_org_id && core::RoleGrants(g.role, kKnowledgeEditPermission)) {
          scopes.push_back(g.scope_path + "%");
        }
      }
    }
    if (scopes.empty()) {
      return MakeError(ErrorCode::kForbidden,
                       "only knowledge editors (knowledge:article:edit) see draft and archived "
                       "articles; leave out status to search published ones");
    }
  }

  return db_.ReadValue<ArticlePage>([&](storage::Tx& tx) -> Result<ArticlePage> {
    const bool pg = tx.dialect() == storage::Dialect::kPostgres;
    // Strings the SQL borrows (Params are views) live here until the query has run.
    std::deque<std::string> owned;  // a deque never moves its elements
    std::vector<storage::Param> params;
    auto bind = [&](std::string s) {
      owned.push_back(std::move(s));
      params.emplace_back(std::string_view(owned.back()));
    };

    std::string sql = "SELECT * FROM (SELECT " + std::string(kArticleColumns) + ", ";
    if (terms.empty()) {
      sql += "0";
    } else {
      for (size_t i = 0; i < terms.size(); ++i) {
        if (i > 0) sql += " + ";
        sql += pg ? "(CASE WHEN strpos(lower(a.title), ?) > 0 THEN 1 ELSE 0 END)"
                  : "(CASE WHEN instr(lower(a.title), ?) > 0 THEN 1 ELSE 0 END)";
        bind(terms[i]);
      }
    }
    // With an FTS term SQLite should drive the query from the index's rowids, not from the
    // status index (every published article): the unary plus keeps it off the latter.
    const bool fts_driven = !pg && std::any_of(terms.begin(), terms.end(), [](const auto& t) {
      return CodePoints(t) >= kTrigramMinChars;
    });
    sql += " AS score FROM kb_articles a JOIN orgs o ON o.id = a.org_id WHERE ";
    sql += fts_driven ? "+a.status = ?" : "a.status = ?";
    bind(std::string(ArticleStatusName(query.status)));
    if (query.category_code) {
      sql += " AND (a.category_code = ? OR a.category_code LIKE ? ESCAPE '\\')";
      bind(*query.category_code);
      bind(EscapeLike(*query.category_code) + ".%");
    }
    if (!scopes.empty()) {
      sql += " AND (";
      for (size_t i = 0; i < scopes.size(); ++i) {
        sql += i > 0 ? " OR o.path LIKE ?" : "o.path LIKE ?";
        bind(scopes[i]);  // paths hold only digits and '/': nothing to escape
      }
      sql += ")";
    }
    std::string fts;
    for (const auto& term : terms) {
      if (pg) {
        sql += " AND a.search_text LIKE ? ESCAPE '\\'";
        bind("%" + EscapeLike(term) + "%");
      } else if (CodePoints(term) >= kTrigramMinChars) {
        fts += (fts.empty() ? "" : " AND ") + FtsPhrase(term);
      } else {
        sql += " AND instr(a.search_text, ?) > 0";
        bind(term);
      }
    }
    if (!fts.empty()) {
      sql += " AND a.id IN (SELECT rowid FROM kb_articles_fts WHERE kb_articles_fts MATCH ?)";
      bind(fts);
    }
    sql += ") t";
    if (cursor) {
      sql +=
          " WHERE t.score < ? OR (t.score = ? AND (t.updated_at < ? OR (t.updated_at = ? AND "
          "t.id < ?)))";
      params.emplace_back(cursor->score);
      params.emplace_back(cursor->score);
      params.emplace_back(cursor->updated_at);
      params.emplace_back(cursor->updated_at);
      params.emplace_back(cursor->id);
    }
    sql += " ORDER BY t.score DESC, t.updated_at DESC, t.id DESC LIMIT ?";
    params.emplace_back(static_cast<int64_t>(query.limit + 1));

    ArticlePage page;
    std::vector<int64_t> scores;
    HUIYIN_TRY(tx.Query(sql, storage::ParamSpan(params.data(), params.size()),
                        [&](const storage::Row& row) {
                          page.items.push_back(ArticleOf(row).article);
                          scores.push_back(row.Int(15));
                        }));
    if (page.items.size() > static_cast<size_t>(query.limit)) {
      page.items.pop_back();
      const Article& last = page.items.back();
      page.next_cursor =
          FormatCursor({scores[page.items.size() - 1], ToMillis(last.updated_at), last.id});
    }
    return page;
  });
}

Result<Article> KnowledgeService::Get(const Principal* viewer, int64_t id) {
  return db_.ReadValue<Article>([&](storage::Tx& tx) -> Result<Article> {
    HUIYIN_ASSIGN_OR_RETURN(auto loaded, LoadArticle(tx, id));
    if (!loaded) return ArticleNotFound(id);
    if (loaded->article.status == ArticleStatus::kPublished) return loaded->article;
    if (viewer != nullptr && viewer->CanOn(kKnowledgeEditPermission, loaded->org_path)) {
      return loaded->article;
    }
    return ArticleNotFound(id);
  });
}

Result<int64_t> KnowledgeService::InsertArticle(storage::Tx& tx, const ArticleInput& input,
                                                ArticleStatus status,
                                                std::optional<int64_t> actor_id, Timestamp now) {
  ArticleInput in = input;
  HUIYIN_TRY(ValidateInput(in));
  if (!in.org_id) return FieldInvalid("org_id", "is required");
  HUIYIN_TRY(CheckCategory(tx, in.category_code));
  const int64_t ms = ToMillis(now);
  std::optional<int64_t> published;
  if (status == ArticleStatus::kPublished) published = ms;
  HUIYIN_ASSIGN_OR_RETURN(
      auto id,
      tx.QueryInt(
          "INSERT INTO kb_articles (title, body, keywords, category_code, org_id, status, "
          "search_text, version, created_at, created_by, updated_at, updated_by, "
          "published_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id",
          {in.title, in.body, JoinKeywords(in.keywords), in.category_code, *in.org_id,
           ArticleStatusName(status), SearchTextOf(in), ms, actor_id, ms, actor_id, published}));
  if (!id) return MakeError(ErrorCode::kInternal, "article id not returned");
  return *id;
}

Result<Article> KnowledgeService::Create(const Principal& actor, const ArticleInput& input,
                                         const RequestMeta& meta) {
  ArticleInput in = input;
  if (!in.org_id) in.org_id = actor.org_id;
  if (!in.org_id) {
    return FieldInvalid("org_id", "is required: name the unit that maintains the article");
  }
  return db_.WriteValue<Article>([&](storage::Tx& tx) -> Result<Article> {
    auto org = OrgService::LoadOrg(tx, *in.org_id);
    if (!org.ok()) return FieldInvalid("org_id", "no organisation " + std::to_string(*in.org_id));
    if (!actor.CanOn(kKnowledgeEditPermission, org->path)) {
      return MakeError(ErrorCode::kForbidden,
                       "you may not maintain articles of " + org->name +
                           ": knowledge:article:edit does not cover it in your roles");
    }
    HUIYIN_ASSIGN_OR_RETURN(int64_t id,
                            InsertArticle(tx, in, ArticleStatus::kDraft, ActorId(actor), meta.now));
    HUIYIN_ASSIGN_OR_RETURN(auto created, LoadArticle(tx, id));
    HUIYIN_TRY(Audit(tx, actor, meta, "kb.article_create", created->article));
    return created->article;
  });
}

Result<Article> KnowledgeService::Update(const Principal& actor, int64_t id, int64_t version,
                                         const ArticleInput& input, const RequestMeta& meta) {
  ArticleInput in = input;
  HUIYIN_TRY(ValidateInput(in));
  return db_.WriteValue<Article>([&](storage::Tx& tx) -> Result<Article> {
    HUIYIN_ASSIGN_OR_RETURN(LoadedArticle cur, LoadEditable(tx, actor, id));
    if (version != cur.article.version) return StaleVersion(id, version, cur.article.version);
    int64_t org_id = cur.article.org_id;
    if (in.org_id && *in.org_id != org_id) {
      auto org = OrgService::LoadOrg(tx, *in.org_id);
      if (!org.ok()) {
        return FieldInvalid("org_id", "no organisation " + std::to_string(*in.org_id));
      }
      if (!actor.CanOn(kKnowledgeEditPermission, org->path)) {
        return MakeError(ErrorCode::kForbidden, "you may not hand the article over to " +
                                                    org->name + ": it is outside your scope");
      }
      org_id = *in.org_id;
    }
    HUIYIN_TRY(CheckCategory(tx, in.category_code));
    HUIYIN_ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec("UPDATE kb_articles SET title = ?, body = ?, keywords = ?, category_code = ?, "
                "org_id = ?, search_text = ?, version = version + 1, updated_at = ?, "
                "updated_by = ? WHERE id = ? AND version = ?",
                {in.title, in.body, JoinKeywords(in.keywords), in.category_code, org_id,
                 SearchTextOf(in), ToMillis(meta.now), ActorId(actor), id, version}));
    if (changed != 1) return StaleVersion(id, version, version + 1);
    HUIYIN_ASSIGN_OR_RETURN(auto after, LoadArticle(tx, id));
    HUIYIN_TRY(Audit(tx, actor, meta, "kb.article_update", after->article));
    return after->article;
  });
}

Result<Article> KnowledgeService::Publish(const Principal& actor, int64_t id,
                                          std::optional<int64_t> version, const RequestMeta& meta) {
  return Transition(db_, actor, id, version, ArticleStatus::kPublished, meta);
}

Result<Article> KnowledgeService::Archive(const Principal& actor, int64_t id,
                                          std::optional<int64_t> version, const RequestMeta& meta) {
  return Transition(db_, actor, id, version, ArticleStatus::kArchived, meta);
}

}  // namespace huiyin::app
