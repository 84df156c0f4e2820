// Files attached to a case: an applicant's materials (each naming the material of the item it
// answers), photos of a reported problem, replies' documents. Only formats recognised from the
// bytes themselves are taken — PDF, PNG, JPEG and OFD (the national electronic document format)
// — whatever the uploader claims; names lose any path; each file is at most
// attachments.max_bytes. Files live in the database (base64 text, one transaction with the
// timeline event and the case's version), so a backup, a crash or a second server never splits
// a case from its files. Served back as downloads with the recognised type and nosniff.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/app/cases.h"
#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

struct AttachmentView {
  int64_t id = 0;
  std::string name;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;
  std::string material;  // "" when not for an item's material
  std::string uploader;  // display name
  Timestamp created_at{};
};

// An application's materials (from the item version it was filed under) and what was uploaded.
struct MaterialStatus {
  std::string name;
  bool required = false;
  int64_t uploaded = 0;
};

struct AttachmentList {
  std::vector<AttachmentView> items;
  std::vector<MaterialStatus> materials;  // applications only
};

struct AttachmentFile {
  AttachmentView meta;
  std::string bytes;
};

class AttachmentService {
 public:
  AttachmentService(storage::Database& db, const CaseService& cases, int64_t max_bytes)
      : db_(db), cases_(cases), max_bytes_(max_bytes) {}

  // Attaches `bytes` named `name` to case `number` (its requester while it is open, or staff
  // working on it). kUnsupportedMediaType for a format not recognised; kPayloadTooLarge beyond
  // the limit; kInvalidArgument for an empty file, a bad name, or a material the item does not
  // list. Appends an "attach" event and bumps the case version.
  Result<AttachmentView> Upload(const Principal& actor, std::string_view number,
                                std::string_view name, std::string_view material,
                                std::string_view bytes, const RequestMeta& meta);
  Result<AttachmentList> List(const Principal& actor, std::string_view number);
  Result<AttachmentFile> Fetch(const Principal& actor, std::string_view number, int64_t id);

  // The type recognised from the first bytes ("" when none of the accepted formats).
  static std::string_view Sniff(std::string_view bytes);
  // The last path component of `name`, without control characters; "" when nothing is left.
  static std::string CleanName(std::string_view name);

 private:
  storage::Database& db_;
  const CaseService& cases_;
  int64_t max_bytes_;
};

}  // namespace huiyin::app
