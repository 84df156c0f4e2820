// Who acts and for which request, as app services see them. The types live in core/access.h
// (pure values, usable by core rules); app code names them through these aliases.
#pragma once

#include "huiyin/core/access.h"

namespace huiyin::app {

using Principal = core::Principal;          // the authenticated account and its scoped grants
using Grant = core::Grant;                  // one role over an organisation subtree
using Role = core::Role;                    // the twelve roles
using PrincipalKind = core::PrincipalKind;  // staff, citizen, enterprise, integration
using RequestMeta = core::RequestMeta;      // remote address, request id, now

// A principal for work the system does itself (demo load, migrations, CLI bootstrap): no grants,
// audited under the name "system".
inline Principal SystemPrincipal() {
  Principal p;
  p.user_id = 0;
  p.username = "system";
  p.display_name = "system";
  return p;
}

}  // namespace huiyin::app
