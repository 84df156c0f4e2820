// The case engine's storage steps shared by the use cases that write cases (cases.cc, and the
// follow-ups Huiyin opens itself in case_followups.cc): case numbers, timeline events and the
// clocks of one case. Internal to the app layer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "huiyin/app/context.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/core/calendar.h"
#include "huiyin/core/clock.h"
#include "huiyin/core/workflow.h"
#include "huiyin/storage/database.h"

namespace huiyin::app::case_store {

// Who sees which cases. Huiyin itself and a hotline-centre role (agent, dispatcher, supervisor,
// leader) granted over the whole city cover every case, and read it as the city's centre does
// (the requester in clear for agents and dispatchers, hidden from supervisors and leaders).
// Everyone else — and the same roles granted over a part of the city, a district's hotline or
// leaders — covers the cases of the units in their subtrees and reads them as the unit does (the
// requester masked); a district's centre roles also cover the undispatched cases of its regions,
// because the centre works on a case before any unit has it (UndispatchedRegions).
bool CentreCityWide(const Principal& p);

// The regions (GB/T 2260 codes, with their sub-regions) whose undispatched cases `p` sees through
// a hotline-centre role (agent, dispatcher, supervisor, leader) granted over a part of the city;
// empty when it holds none. A grant over a city department (whose region is the city's own)
// covers no undispatched case.
Result<std::vector<std::string>> UndispatchedRegions(storage::Tx& tx, const Principal& p);

// Next number "SQ20261126000042": prefix + Shanghai date + a per-day sequence, unique under
// concurrent intake.
Result<std::string> NextNumber(storage::Tx& tx, const std::string& prefix, Timestamp now);

// The name and role a timeline event records for `actor` (null: Huiyin itself, "system").
std::pair<std::string, std::string> ActorNameRole(const Principal* actor);

// Appends a timeline event; `actor` null is Huiyin itself. Returns the event's id.
Result<int64_t> AddEvent(storage::Tx& tx, int64_t case_id, Timestamp at, const Principal* actor,
                         std::string_view action, std::string_view from, std::string_view to,
                         std::string_view note, bool is_public);

// The case's clocks by name.
Result<std::map<std::string, core::Clock>> LoadClockMap(storage::Tx& tx, int64_t case_id);

// Writes every clock of `clocks` (the unit `org_id` owns them for the queues).
Status SaveClockMap(storage::Tx& tx, const core::WorkflowDef& def, int64_t case_id,
                    std::optional<int64_t> org_id, const std::map<std::string, core::Clock>& clocks,
                    const core::Calendar& cal, Timestamp now);

}  // namespace huiyin::app::case_store
