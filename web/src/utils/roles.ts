// Staff roles the backend knows (see the permission table on the server).
export const STAFF_ROLES = [
  'hotline_agent', 'window_clerk', 'approval_officer', 'dispatcher', 'handler', 'dept_head', 'supervisor', 'leader',
  'system_admin', 'security_admin', 'audit_admin',
] as const;
