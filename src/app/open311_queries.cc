// Open311 GeoReport v2 read side: appeal cases as public service requests (see app/open311.h).
#include <nlohmann/json.hpp>

#include <algorithm>

#include "huiyin/app/open311.h"
#include "huiyin/core/identifiers.h"

namespace huiyin::app {
namespace {

using storage::Param;
using storage::Row;
using storage::Tx;

constexpr int kMaxIds = 100;
constexpr int kMaxPageSize = 1000;
constexpr int kMaxPage = 100000;

// Reads the whole request; the joins are by unique keys (category code, org id, clock name).
constexpr std::string_view kSelect =
    "SELECT c.number, c.state, c.reply, c.replied_at, c.category, cat.name, c.content, lo.name, "
    "c.created_at, c.updated_at, c.closed_at, k.deadline_at, c.address, c.lat, c.lng, "
    "c.attributes FROM cases c LEFT JOIN orgs lo ON lo.id = c.lead_org_id LEFT JOIN categories "
    "cat ON cat.code = c.category LEFT JOIN case_clocks k ON k.case_id = c.id AND k.name = "
    "'handle' WHERE c.kind = ? AND c.confidential = 0";

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAsciiAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsEmailLocal(char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsEmailDomain(char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '-';
}

bool IsMobile(std::string_view d) {
  return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

// Masks a run of digits that is a mobile number, "86" + a mobile number, or an ID number.
std::string MaskDigitRun(std::string_view run, bool id_suffix_x) {
  if (id_suffix_x && run.size() == 17) return core::MaskIdNumber(std::string(run) + "X");
  if (IsMobile(run)) return core::MaskPhone(run);
  if (run.size() == 13 && run.starts_with("86") && IsMobile(run.substr(2))) {
    return "86" + core::MaskPhone(run.substr(2));
  }
  if (run.size() == 15 || run.size() == 18) return core::MaskIdNumber(run);
  return std::string(run);
}

// "139-0000-1111" / "139 0000 1111" starting at `i`: its length, or 0.
size_t SeparatedMobileAt(std::string_view s, size_t i) {
  if (i + 13 > s.size()) return 0;
  const char sep = s[i + 3];
  if (sep != '-' && sep != ' ') return 0;
  if (s[i + 8] != sep) return 0;
  std::string digits;
  for (size_t k = i; k < i + 13; ++k) {
    if (k == i + 3 || k == i + 8) continue;
    if (!IsDigit(s[k])) return 0;
    digits.push_back(s[k]);
  }
  if (i + 13 < s.size() && IsDigit(s[i + 13])) return 0;
  return IsMobile(digits) ? 13 : 0;
}

}  // namespace

std::string MaskPersonalIdentifiers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // Copy up to the next digit or '@' in one go: only those can start an identifier.
    size_t next = i;
    while (next < text.size() && !IsDigit(text[next]) && text[next] != '@') ++next;
    out.append(text.substr(i, next - i));
    i = next;
    if (i == text.size()) break;
    const char c = text[i];
    const bool starts_token = i == 0 || !IsAsciiAlnum(text[i - 1]);
    if (IsDigit(c) && starts_token) {
      if (size_t n = SeparatedMobileAt(text, i); n > 0) {
        std::string digits;
        for (size_t k = i; k < i + n; ++k) {
          if (IsDigit(text[k])) digits.push_back(text[k]);
        }
        std::string masked = core::MaskPhone(digits);
        out += masked.substr(0, 3) + text[i + 3] + masked.substr(3, 4) + text[i + 8] +
               masked.substr(7);
        i += n;
        continue;
      }
      size_t j = i;
      while (j < text.size() && IsDigit(text[j])) ++j;
      const bool x = j < text.size() && (text[j] == 'X' || text[j] == 'x');
      std::string masked = MaskDigitRun(text.substr(i, j - i), x);
      const bool id_with_x = x && j - i == 17;
      out += masked;
      i = id_with_x ? j + 1 : j;
      continue;
    }
    if (c == '@' && i > 0 && IsEmailLocal(text[i - 1])) {
      // Rewrite the local part already copied: keep its first character.
      size_t start = out.size();
      while (start > 0 && IsEmailLocal(out[start - 1])) --start;
      size_t end = i + 1;
      while (end < text.size() && IsEmailDomain(text[end])) ++end;
      std::string_view domain = text.substr(i + 1, end - i - 1);
      if (domain.find('.') != std::string_view::npos && domain.size() >= 3) {
        out.resize(start + 1);
        out += "***@";
        out.append(domain);
        i = end;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

std::string Open311IdempotencyKey(std::string_view token_or_digest) {
  return "open311:" + std::string(token_or_digest);
}

namespace {

ServiceRequestView ReadView(const Row& r, const core::WorkflowDef& def) {
  ServiceRequestView v;
  v.service_request_id = r.String(0);
  const std::string state = r.String(1);
  const core::StateDef* st = def.State(state);
  v.closed = st != nullptr && st->terminal;
  const std::string reply = r.String(2);
  if (!r.IsNull(3) && !reply.empty()) {
    v.status_notes = MaskPersonalIdentifiers(reply);
  } else {
    v.status_notes = st ? st->label : state;
  }
  v.service_code = r.String(4);
  v.service_name = r.IsNull(5) ? "" : r.String(5);
  v.description = MaskPersonalIdentifiers(r.String(6));
  v.agency_responsible = r.IsNull(7) ? "" : r.String(7);
  v.requested = FromMillis(r.Int(8));
  v.updated = FromMillis(r.Int(9));
  if (v.closed && !r.IsNull(10)) v.updated = FromMillis(r.Int(10));
  if (!r.IsNull(11)) v.expected = FromMillis(r.Int(11));
  v.address = MaskPersonalIdentifiers(r.String(12));
  if (!r.IsNull(13)) v.lat = r.Real(13);
  if (!r.IsNull(14)) v.lng = r.Real(14);
  const std::string attributes = r.String(15);
  if (attributes.find(kOpen311AttributesKey) != std::string::npos) {
    auto j = nlohmann::json::parse(attributes, nullptr, false);
    if (j.is_object()) {
      auto it = j.find(std::string(kOpen311AttributesKey));
      if (it != j.end() && it->is_object()) {
        v.media_url = it->value("media_url", "");
        v.address_id = it->value("address_id", "");
      }
    }
  }
  return v;
}

}  // namespace

Result<std::vector<ServiceRequestView>> Open311Service::List(const ServiceRequestQuery& query) {
  const core::WorkflowDef* def = workflows_.Find(kOpen311CaseKind);
  if (!def) return MakeError(ErrorCode::kInternal, "no appeal workflow is loaded");
  if (query.ids.size() > static_cast<size_t>(kMaxIds)) {
    return FieldInvalid("service_request_id", "at most 100 ids at once");
  }
  if (query.page_size < 1 || query.page_size > kMaxPageSize) {
    return FieldInvalid("page_size", "must be 1 to 1000");
  }
  if (query.page < 1 || query.page > kMaxPage) return FieldInvalid("page", "must be 1 to 100000");
  std::string sql(kSelect);
  std::vector<Param> params{Param(kOpen311CaseKind)};
  auto in_list = [&](const std::vector<std::string>& values) {
    std::string list;
    for (const auto& v : values) {
      list += list.empty() ? "?" : ", ?";
      params.emplace_back(std::string_view(v));
    }
    return list;
  };
  std::vector<std::string> terminal;
  for (const auto& s : def->states) {
    if (s.terminal) terminal.push_back(s.name);
  }
  if (!query.ids.empty()) {
    sql += " AND c.number IN (" + in_list(query.ids) + ")";
  } else {
    sql += " AND c.created_at >= ? AND c.created_at <= ?";
    params.emplace_back(ToMillis(query.from));
    params.emplace_back(ToMillis(query.to));
    if (!query.service_codes.empty()) {
      sql += " AND c.category IN (" + in_list(query.service_codes) + ")";
    }
    if (query.closed && !terminal.empty()) {
      sql += std::string(*query.closed ? " AND c.state IN (" : " AND c.state NOT IN (") +
             in_list(terminal) + ")";
    }
    if (query.updated_after) {
      sql += " AND c.updated_at >= ?";
      params.emplace_back(ToMillis(*query.updated_after));
    }
    if (query.updated_before) {
      sql += " AND c.updated_at <= ?";
      params.emplace_back(ToMillis(*query.updated_before));
    }
  }
  sql += " ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?";
  params.emplace_back(static_cast<int64_t>(query.page_size));
  params.emplace_back(static_cast<int64_t>(query.page - 1) * query.page_size);
  return db_.ReadValue<std::vector<ServiceRequestView>>(
      [&](Tx& tx) -> Result<std::vector<ServiceRequestView>> {
        std::vector<ServiceRequestView> out;
        out.reserve(std::min<size_t>(static_cast<size_t>(query.page_size), 1000));
        HUIYIN_TRY(tx.Query(sql, storage::ParamSpan(params),
                            [&](const Row& r) { out.push_back(ReadView(r, *def)); }));
        return out;
      });
}

Result<ServiceRequestView> Open311Service::Get(std::string_view number) {
  ServiceRequestQuery q;
  q.ids.emplace_back(number);
  HUIYIN_ASSIGN_OR_RETURN(auto found, List(q));
  if (found.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "service_request_id '" + std::string(number) + "' was not found");
  }
  return std::move(found.front());
}

Result<std::string> Open311Service::ResolveToken(std::string_view token) {
  const std::string key = Open311IdempotencyKey(token);
  return db_.ReadValue<std::string>([&](Tx& tx) -> Result<std::string> {
    std::vector<int64_t> integrations;
    HUIYIN_TRY(tx.Query("SELECT id FROM users WHERE kind = 'integration' ORDER BY id", {},
                        [&](const Row& r) { integrations.push_back(r.Int(0)); }));
    for (int64_t id : integrations) {
      const std::string scope = "u:" + std::to_string(id);
      HUIYIN_ASSIGN_OR_RETURN(auto body,
                              tx.QueryText("SELECT body FROM idempotency_keys WHERE scope = ? "
                                           "AND key = ?",
                                           {scope, key}));
      if (!body) continue;
      HUIYIN_ASSIGN_OR_RETURN(std::string plain, crypto_.Decrypt(*body));
      return plain.substr(0, plain.find('|'));  // "number|check code": the number only
    }
    return MakeError(ErrorCode::kNotFound, "token '" + std::string(token) + "' was not found");
  });
}

}  // namespace huiyin::app
