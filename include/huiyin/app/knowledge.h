// The hotline's knowledge base (知识库): articles that member units maintain so agents and the
// public can answer enquiries at once (RULES.md §3). An article belongs to the unit that keeps it;
// staff holding knowledge:article:edit over that unit's subtree create, edit, publish and archive
// it (an article outside the editor's scope is reported as not found). Everyone reads published
// articles; drafts and archived ones only editors in scope.
//
// Search is Chinese substring search over title, body and keywords, correct for terms of any
// length: whitespace separates terms, every term must occur; terms of 3+ characters use the
// SQLite FTS5 trigram index / the PostgreSQL pg_trgm GIN index, shorter ones a substring scan
// (STACK.md). Input is literal: '%', '_' and '\' are not wildcards. ASCII letters match without
// regard to case. Results rank articles whose title holds more of the terms first, then the most
// recently updated.
//
// Every change runs in one transaction with its audit record ("kb.article_create",
// "kb.article_update", "kb.article_publish", "kb.article_archive") and bumps the version; a write
// carrying a stale version fails with kVersionConflict. KnowledgeService is thread-safe (it holds
// only the Database reference).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

// The permission that lets staff maintain articles of the organisations in its scope.
inline constexpr std::string_view kKnowledgeEditPermission = "knowledge:article:edit";

enum class ArticleStatus { kDraft, kPublished, kArchived };
// "draft", "published", "archived".
std::string_view ArticleStatusName(ArticleStatus status);
// The status named `name`, or nullopt.
std::optional<ArticleStatus> ParseArticleStatus(std::string_view name);

struct Article {
  int64_t id = 0;
  std::string title;
  std::string body;
  std::vector<std::string> keywords;
  std::optional<std::string> category_code;  // a dispatch catalogue category, if any
  int64_t org_id = 0;                        // the unit that maintains it
  std::string org_name;
  ArticleStatus status = ArticleStatus::kDraft;
  int64_t version = 1;
  Timestamp created_at{};
  std::optional<int64_t> created_by;
  Timestamp updated_at{};
  std::optional<int64_t> updated_by;
  std::optional<Timestamp> published_at;
};

// The editable content of an article (create and update).
struct ArticleInput {
  std::string title;                         // 1..200 characters
  std::string body;                          // 1..20000 characters
  std::vector<std::string> keywords;         // ≤ 20, each 1..50 characters, no ',' or newline
  std::optional<std::string> category_code;  // must name an existing category
  std::optional<int64_t> org_id;             // owner; create: defaults to the caller's home org
};

struct ArticleQuery {
  std::string q;                             // search terms; empty lists everything
  std::optional<std::string> category_code;  // exact category, or the category and its subtree
  ArticleStatus status = ArticleStatus::kPublished;  // other statuses need an editor: in scope only
  std::string cursor;                                // from the previous page's next_cursor
  int limit = 20;                                    // 1..100
};

struct ArticlePage {
  std::vector<Article> items;
  std::string next_cursor;  // "" on the last page
};

class KnowledgeService {
 public:
  // `db` must outlive the service.
  explicit KnowledgeService(storage::Database& db) : db_(db) {}

  // Searches or lists articles. `viewer` may be null (the public): then only published articles.
  // Asking for drafts or archived articles needs knowledge:article:edit (kForbidden otherwise) and
  // returns only those of organisations in the viewer's scope. A malformed cursor or limit is
  // kInvalidArgument.
  Result<ArticlePage> Search(const Principal* viewer, const ArticleQuery& query);
  // One article: published ones for anyone, others only for editors in scope (else kNotFound).
  Result<Article> Get(const Principal* viewer, int64_t id);
  // Creates a draft owned by input.org_id (default: the actor's home organisation), which must be
  // in the actor's knowledge:article:edit scope (kForbidden otherwise). Validation errors are
  // kInvalidArgument naming the field. Audited "kb.article_create".
  Result<Article> Create(const Principal& actor, const ArticleInput& input,
                         const RequestMeta& meta);
  // Replaces title, body, keywords and category (and moves ownership when input.org_id is set and
  // in scope) if `version` is current (kVersionConflict otherwise). An article outside the actor's
  // scope is kNotFound. Audited "kb.article_update".
  Result<Article> Update(const Principal& actor, int64_t id, int64_t version,
                         const ArticleInput& input, const RequestMeta& meta);
  // draft/archived → published. `version`, when given, must be current. Publishing a published
  // article is kIllegalTransition. Audited "kb.article_publish".
  Result<Article> Publish(const Principal& actor, int64_t id, std::optional<int64_t> version,
                          const RequestMeta& meta);
  // draft/published → archived (no longer shown to the public). Audited "kb.article_archive".
  Result<Article> Archive(const Principal& actor, int64_t id, std::optional<int64_t> version,
                          const RequestMeta& meta);

  // Inside an open transaction, without permission checks or audit (demo load): inserts an
  // article with the given status and returns its id.
  static Result<int64_t> InsertArticle(storage::Tx& tx, const ArticleInput& input,
                                       ArticleStatus status, std::optional<int64_t> actor_id,
                                       Timestamp now);

 private:
  storage::Database& db_;
};

}  // namespace huiyin::app
