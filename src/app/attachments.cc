#include "huiyin/app/attachments.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "app/case_followups.h"
#include "app/case_store.h"
#include "huiyin/app/audit.h"
#include "huiyin/app/crypto.h"
#include "huiyin/common/text.h"

namespace huiyin::app {

using storage::Row;
using storage::Tx;

namespace {

constexpr int64_t kMaxPerCase = 50;

std::string ToBase64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> FromBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return MakeError(ErrorCode::kInternal, "a stored attachment is damaged");
  }
  out.resize(len);
  return out;
}

// The materials the item version of application `case_id` lists.
Result<std::vector<MaterialStatus>> Materials(Tx& tx, int64_t case_id) {
  std::vector<MaterialStatus> out;
  HUIYIN_ASSIGN_OR_RETURN(auto filed, followups::FiledItemOf(tx, case_id));
  if (!filed) return out;
  auto body = nlohmann::json::parse(filed->body, nullptr, false);
  auto it = body.find("materials");
  if (it == body.end() || !it->is_array()) return out;
  for (const auto& m : *it) {
    if (!m.is_object() || !m.contains("name") || !m["name"].is_string()) continue;
    out.push_back({m["name"].get<std::string>(), m.value("required", false), 0});
  }
  return out;
}

AttachmentView ViewOf(const Row& r) {
  AttachmentView v;
  v.id = r.Int(0);
  v.name = r.String(1);
  v.content_type = r.String(2);
  v.size = r.Int(3);
  v.sha256 = r.String(4);
  v.material = r.String(5);
  v.uploader = r.String(6);
  v.created_at = FromMillis(r.Int(7));
  return v;
}

constexpr std::string_view kColumns =
    "id, name, content_type, size, sha256, material, uploader_name, created_at";

}  // namespace

std::string_view AttachmentService::Sniff(std::string_view b) {
  if (b.starts_with("%PDF-")) return "application/pdf";
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (b.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  // OFD (GB/T 33190) is a ZIP package whose first entry is OFD.xml.
  if (b.starts_with("PK\x03\x04") && b.size() > 30 && b.substr(30, 7) == "OFD.xml") {
    return "application/ofd";
  }
  return "";
}

std::string AttachmentService::CleanName(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string out;
  for (char ch : name) {
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7F && ch != '"') out += ch;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
  return out;
}

Result<AttachmentView> AttachmentService::Upload(const Principal& actor, std::string_view number,
                                                 std::string_view name, std::string_view material,
                                                 std::string_view bytes, const RequestMeta& meta) {
  if (bytes.empty()) return FieldInvalid("file", "the file is empty");
  if (static_cast<int64_t>(bytes.size()) > max_bytes_) {
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "a file may be at most " + std::to_string(max_bytes_ / (1 << 20)) + " MiB");
  }
  const std::string clean = CleanName(name);
  if (clean.empty() || CodePoints(clean) > 200 || !IsValidUtf8(clean)) {
    return FieldInvalid("name", "give the file's name (1-200 characters, UTF-8) as ?name=");
  }
  const std::string_view type = Sniff(bytes);
  if (type.empty()) {
    return MakeError(ErrorCode::kUnsupportedMediaType,
                     "only PDF, PNG, JPEG and OFD files are taken (recognised from their content, "
                     "not their name)");
  }
  const std::string sha = Crypto::Sha256Hex(bytes);
  const std::string encoded = ToBase64(bytes);
  return db_.WriteValue<AttachmentView>([&](Tx& tx) -> Result<AttachmentView> {
    HUIYIN_ASSIGN_OR_RETURN(CaseHandle c, cases_.Resolve(tx, actor, number));
    if (!c.open) {
      return MakeError(ErrorCode::kIllegalTransition,
                       "case " + c.number + " is " + c.state + ": nothing more can be attached");
    }
    if (!material.empty()) {
      HUIYIN_ASSIGN_OR_RETURN(auto materials, Materials(tx, c.id));
      if (std::none_of(materials.begin(), materials.end(),
                       [&](const MaterialStatus& m) { return m.name == material; })) {
        std::string names;
        for (const auto& m : materials) names += (names.empty() ? "" : ", ") + m.name;
        return FieldInvalid("material", "the item lists no material '" + std::string(material) +
                                            "'" +
                                            (names.empty() ? "" : " (it lists: " + names + ")"));
      }
    }
    HUIYIN_ASSIGN_OR_RETURN(
        auto count, tx.QueryInt("SELECT count(*) FROM attachments WHERE case_id = ?", {c.id}));
    if (count.value_or(0) >= kMaxPerCase) {
      return MakeError(ErrorCode::kIllegalTransition,
                       "a case holds at most " + std::to_string(kMaxPerCase) + " files");
    }
    auto [uploader, role] = case_store::ActorNameRole(&actor);
    AttachmentView v;
    v.name = clean;
    v.content_type = std::string(type);
    v.size = static_cast<int64_t>(bytes.size());
    v.sha256 = sha;
    v.material = std::string(material);
    v.uploader = uploader;
    v.created_at = meta.now;
    HUIYIN_ASSIGN_OR_RETURN(
        auto id,
        tx.QueryInt("INSERT INTO attachments (case_id, material, name, content_type, size, "
                    "sha256, data, uploaded_by, uploader_name, created_at) VALUES (?, ?, ?, ?, ?, "
                    "?, ?, ?, ?, ?) RETURNING id",
                    {c.id, material, clean, type, v.size, sha, encoded, actor.user_id, uploader,
                     ToMillis(meta.now)}));
    v.id = id.value_or(0);
    HUIYIN_TRY(tx.Exec("UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?",
                       {ToMillis(meta.now), c.id}));
    std::string note = clean + " (" + std::to_string(v.size) + " bytes" +
                       (material.empty() ? "" : ", " + std::string(material)) + ")";
    HUIYIN_TRY(
        case_store::AddEvent(tx, c.id, meta.now, &actor, "attach", c.state, c.state, note, true));
    AuditRecord rec = AuditOf(actor, meta, "case.attach", "case", c.number);
    rec.digest = sha;
    auto a = AppendAudit(tx, rec, meta.now);
    if (!a.ok()) return std::move(a).error();
    return v;
  });
}

Result<AttachmentList> AttachmentService::List(const Principal& actor, std::string_view number) {
  return db_.ReadValue<AttachmentList>([&](Tx& tx) -> Result<AttachmentList> {
    HUIYIN_ASSIGN_OR_RETURN(CaseHandle c, cases_.Resolve(tx, actor, number));
    AttachmentList out;
    HUIYIN_TRY(tx.Query(
        "SELECT " + std::string(kColumns) + " FROM attachments WHERE case_id = ? ORDER BY id",
        {c.id}, [&](const Row& r) { out.items.push_back(ViewOf(r)); }));
    HUIYIN_ASSIGN_OR_RETURN(out.materials, Materials(tx, c.id));
    for (auto& m : out.materials) {
      m.uploaded = std::count_if(out.items.begin(), out.items.end(),
                                 [&](const AttachmentView& a) { return a.material == m.name; });
    }
    return out;
  });
}

Result<AttachmentFile> AttachmentService::Fetch(const Principal& actor, std::string_view number,
                                                int64_t id) {
  return db_.ReadValue<AttachmentFile>([&](Tx& tx) -> Result<AttachmentFile> {
    HUIYIN_ASSIGN_OR_RETURN(CaseHandle c, cases_.Resolve(tx, actor, number));
    std::optional<AttachmentFile> f;
    std::string data;
    HUIYIN_TRY(tx.Query(
        "SELECT " + std::string(kColumns) + ", data FROM attachments WHERE case_id = ? AND id = ?",
        {c.id, id}, [&](const Row& r) {
          f.emplace();
          f->meta = ViewOf(r);
          data = r.String(8);
        }));
    if (!f) {
      return MakeError(ErrorCode::kNotFound,
                       "case " + c.number + " has no attachment " + std::to_string(id));
    }
    HUIYIN_ASSIGN_OR_RETURN(f->bytes, FromBase64(data));
    return std::move(*f);
  });
}

}  // namespace huiyin::app
