// GuideIndex: the public service guide searched in memory (services.h).
#include <algorithm>
#include <unordered_map>

#include "app/service_rows.h"
#include "huiyin/app/services.h"

namespace huiyin::app {

namespace {

// Decodes the next UTF-8 code point of `s` at `i` (advancing `i`); malformed bytes stand for
// themselves, so every byte sequence maps to some key.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const size_t extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return b;
  }
  char32_t cp = b & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  i += extra + 1;
  return cp;
}

constexpr std::chrono::seconds kRecheck{1};

}  // namespace

struct GuideIndex::Snapshot {
  struct Entry {
    ServiceItem item;         // body left empty
    std::string search_text;  // lower-cased name, code, organisation, materials, FAQ
    std::string org_path;
    std::string life_events;  // " birth housing "
  };
  std::vector<Entry> entries;                              // published items by code
  std::unordered_map<std::string, std::string> org_paths;  // code → path
  // Per code point: a bitmap over `entries` of the items whose text holds it.
  std::unordered_map<char32_t, std::vector<uint64_t>> bitmaps;
  size_t words = 0;
  std::string fingerprint;
};

GuideIndex::GuideIndex(storage::Database& db) : db_(db) {}
GuideIndex::~GuideIndex() = default;

void GuideIndex::Invalidate() {
  std::lock_guard lock(mu_);
  snapshot_.reset();
}

Result<std::shared_ptr<const GuideIndex::Snapshot>> GuideIndex::Current(Timestamp now) {
  std::lock_guard lock(mu_);  // one loader at a time; readers hold their own shared_ptr
  if (snapshot_ && now - checked_ < kRecheck) return snapshot_;
  std::string fingerprint;
  HUIYIN_TRY(db_.Read([&](storage::Tx& tx) -> Status {
    return tx.Query(
        "SELECT (SELECT count(*) FROM service_items), (SELECT coalesce(max(updated_at), 0) FROM "
        "service_items), (SELECT coalesce(sum(version), 0) + count(*) FROM orgs)",
        {}, [&](const storage::Row& r) {
          fingerprint = std::to_string(r.Int(0)) + "/" + std::to_string(r.Int(1)) + "/" +
                        std::to_string(r.Int(2));
        });
  }));
  checked_ = now;
  if (snapshot_ && snapshot_->fingerprint == fingerprint) return snapshot_;
  auto snap = std::make_shared<Snapshot>();
  snap->fingerprint = std::move(fingerprint);
  HUIYIN_TRY(db_.Read([&](storage::Tx& tx) -> Status {
    HUIYIN_TRY(tx.Query("SELECT code, path FROM orgs", {}, [&](const storage::Row& r) {
      snap->org_paths.emplace(r.String(0), r.String(1));
    }));
    return tx.Query("SELECT " + std::string(kItemColumns) +
                        ", i.search_text FROM service_items i JOIN orgs o ON o.id = i.org_id "
                        "WHERE i.status = 'published' ORDER BY i.code",
                    {}, [&](const storage::Row& r) {
                      LoadedItem l = ItemOf(r);
                      Snapshot::Entry e;
                      e.search_text = r.String(20);
                      e.org_path = std::move(l.org_path);
                      e.life_events = " ";
                      for (const auto& ev : l.item.life_events) e.life_events += ev + " ";
                      e.item = std::move(l.item);
                      snap->entries.push_back(std::move(e));
                    });
  }));
  snap->words = (snap->entries.size() + 63) / 64;
  for (size_t n = 0; n < snap->entries.size(); ++n) {
    const std::string& text = snap->entries[n].search_text;
    for (size_t i = 0; i < text.size();) {
      auto& bits = snap->bitmaps[NextCodePoint(text, i)];
      if (bits.empty()) bits.resize(snap->words);
      bits[n / 64] |= uint64_t{1} << (n % 64);
    }
  }
  snapshot_ = std::move(snap);
  return snapshot_;
}

Result<ServicePage> GuideIndex::Search(const ServiceQuery& query,
                                       const std::vector<std::string>& terms, Timestamp now) {
  HUIYIN_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, Current(now));
  std::string_view org_prefix;
  if (!query.org_code.empty()) {
    auto it = snap->org_paths.find(query.org_code);
    if (it == snap->org_paths.end()) {
      return FieldInvalid("org", "no organisation has the code " + query.org_code);
    }
    org_prefix = it->second;
  }
  // Items holding every character of every term; the substring test below decides.
  std::vector<uint64_t> candidates;
  if (!terms.empty()) {
    candidates.assign(snap->words, ~uint64_t{0});
    for (const auto& t : terms) {
      for (size_t i = 0; i < t.size();) {
        auto it = snap->bitmaps.find(NextCodePoint(t, i));
        if (it == snap->bitmaps.end()) return ServicePage{};
        for (size_t w = 0; w < snap->words; ++w) candidates[w] &= it->second[w];
      }
    }
  }
  const std::string life_event = query.life_event.empty() ? "" : " " + query.life_event + " ";
  auto from = snap->entries.begin();
  if (!query.cursor.empty()) {
    from = std::upper_bound(
        snap->entries.begin(), snap->entries.end(), query.cursor,
        [](const std::string& c, const Snapshot::Entry& e) { return c < e.item.code; });
  }
  ServicePage page;
  for (auto it = from; it != snap->entries.end(); ++it) {
    const auto n = static_cast<size_t>(it - snap->entries.begin());
    if (!candidates.empty() && (candidates[n / 64] >> (n % 64) & 1) == 0) continue;
    const Snapshot::Entry& e = *it;
    if (!org_prefix.empty() && !e.org_path.starts_with(org_prefix)) continue;
    if (!query.level.empty() && e.item.level != query.level) continue;
    if (!query.item_type.empty() && e.item.item_type != query.item_type) continue;
    if (!life_event.empty() && e.life_events.find(life_event) == std::string::npos) continue;
    if (!std::all_of(terms.begin(), terms.end(), [&](const std::string& t) {
          return e.search_text.find(t) != std::string::npos;
        })) {
      continue;
    }
    if (static_cast<int>(page.items.size()) == query.limit) {
      page.next_cursor = page.items.back().code;
      break;
    }
    page.items.push_back(e.item);
  }
  return page;
}

}  // namespace huiyin::app
