// English (the second language). Same keys as zh-CN.ts; the type makes a missing key an error.
import type zhCN from './zh-CN';

const en: typeof zhCN = {
  app: {
    name: 'Huiyin · 12345 Government Services',
    logo: '回',
    motto: 'Every matter gets an owner; every case gets an answer',
    footer: 'Tonghua City 12345 government service hotline',
    skip: 'Skip to content',
    account: 'Account',
    mainNav: 'Main navigation',
    toggleMenu: 'Show or hide the menu',
  },
  lang: { label: 'Language', zh: '中文', en: 'English' },
  common: {
    back: '← Back', search: 'Search', more: 'Load more', cancel: 'Cancel', confirm: 'Confirm', save: 'Save', saved: 'Saved',
    edit: 'Edit', view: 'View', add: 'Add', actions: 'Actions', empty: 'No data', from: 'From', to: 'To', home: 'Back to the home page',
    notDeployed: 'This service is not available yet. Please try again later.',
  },
  form: { required: 'Required', choose: 'Choose…', phone: 'Enter a valid mobile number' },
  error: {
    unknown: 'Something went wrong. Please try again later.', network: 'Cannot reach the server. Check your connection and try again.',
    server: 'The server failed. Please try again later.', busy: 'The system is busy. Please try again shortly.', http: 'Request failed with status',
    forbiddenTitle: 'Not allowed', forbiddenText: 'Your roles do not open this page.',
    notFoundTitle: 'Page not found', notFoundText: 'The page does not exist or has moved.',
  },
  menu: {
    workbench: 'Workbench', queues: 'Queues', case: 'Case', intake: 'Phone intake', knowledge: 'Knowledge base',
    orgs: 'Organisations', users: 'Users', calendar: 'Calendar', audit: 'Audit log', password: 'Change password', dashboard: 'Dashboard',
  },
  auth: {
    signIn: 'Sign in', signOut: 'Sign out', signUp: 'Sign up', staffSignIn: 'Staff sign-in', username: 'User name', password: 'Password',
    usernameRequired: 'Enter your user name', passwordRequired: 'Enter your password', noAccount: 'No account yet?', backToPortal: 'Back to the portal',
    kind: 'Account type', citizen: 'Individual', enterprise: 'Enterprise', displayName: 'Name', enterpriseName: 'Enterprise name', phone: 'Mobile number',
    idNumber: 'ID card number (optional)', creditCode: 'Unified social credit code (optional)', confirmPassword: 'Confirm password',
    oldPassword: 'Current password', newPassword: 'New password',
    passwordRule: 'At least 8 characters', passwordMismatch: 'The passwords do not match',
    passwordHint: 'At least 8 characters, with at least three of: upper case, lower case, digits, symbols.', signUpDone: 'Your account is ready',
  },
  portal: {
    title: 'Home',
    nav: { home: 'Home', file: 'Report a matter', track: 'Track a case', guide: 'Service guide' },
    home: {
      headline: 'Call 12345 for anything', intro: 'Enquiries, help, complaints, reports and suggestions: one number, and every case gets an answer.',
      hotlineTitle: 'Call the 12345 hotline', hotlineText: 'Staffed around the clock; an agent records your matter and passes it on.', call: '☎ 12345',
      fileTitle: 'Report online', fileText: 'Submit your matter online and get a case number and check code.',
      trackTitle: 'Track a case', trackText: 'See progress and the reply with your case number and check code.',
      guideTitle: 'Service guide', guideText: 'Search the knowledge base for quick answers.',
      howTitle: 'How it works', step1: 'Intake: by phone or online; you get a case number.', step2: 'Dispatch: sent to the responsible department, which must sign for it in time.',
      step3: 'Handling: the department handles it within the legal time limit and replies.', step4: 'Call-back: we ask whether you are satisfied; it counts in the department\'s assessment.',
    },
    file: {
      title: 'Report a matter', extra: 'More details', anonHint: 'Without signing in you submit anonymously and track with the check code. To submit in your name, please',
      identity: 'Submit as', realName: 'In my name', anonymous: 'Anonymous', confidential: 'Keep my identity confidential (report)',
      addressHint: 'Street, estate, number or a nearby landmark', contentHint: 'When, where, what happened and what you ask for',
      contentRule: 'Please write at least 10 characters', submit: 'Submit', doneTitle: 'Submitted', number: 'Case number',
      checkCode: 'Check code', keepCode: 'The check code is shown only once: take a screenshot or write it down.', trackIt: 'Track it', another: 'Submit another',
    },
    track: {
      title: 'Track a case', number: 'Case number', numberHint: 'e.g. SQ20261127000001', code: 'Check code', codeHint: 'The check code you got when submitting',
      codeOptional: 'Not needed when you are signed in', lookup: 'Look up', numberRequired: 'Enter the case number',
      notFound: 'No such case. Check the case number and the check code.', rateTitle: 'Rate the result', rateSubmit: 'Submit rating',
      pickLevel: 'Choose how satisfied you are', thanks: 'Thank you for your rating', ratedAs: 'Your rating: {level}', signInToRate: 'The case is closed; sign in to rate it.',
    },
    kb: {
      title: 'Service guide', search: 'Search', placeholder: 'Keywords, e.g. heating, property management, social security', none: 'Nothing found',
      updated: 'Updated {date}', missing: 'This article does not exist or was withdrawn',
    },
  },
  case: {
    number: 'Case number', type: 'Type', channel: 'Channel', category: 'Category', region: 'District / county', address: 'Address',
    title: 'Title', content: 'Description', state: 'State', leadOrg: 'Lead department', coOrgs: 'Co-handling departments', createdAt: 'Received',
    closedAt: 'Closed', deadline: 'Deadline', reply: 'Reply', clocks: 'Time limits', timeline: 'Timeline', details: 'Case details',
    requester: 'Requester', anonymous: 'Anonymous', confidential: 'Confidential', notYet: 'Not dispatched yet', internal: 'Internal',
    noEvents: 'No events yet', noActions: 'There is nothing you can do on this case now', notFound: 'The case does not exist or you may not see it',
    conflict: 'Someone else has just updated this case. It was reloaded: check it and try again.', stepDone: 'Done: {step}',
    confirmStep: 'Go ahead with "{step}"?', suggested: 'Suggested:', pickOrg: 'Choose a department', otherGroup: 'Other',
    noCatalogue: 'The dispatch catalogue is not available yet; you may submit without a category.',
  },
  caseType: { enquiry: 'Enquiry', help: 'Help', complaint: 'Complaint', report: 'Report', suggestion: 'Suggestion', praise: 'Praise' },
  channel: {
    web: 'Web', mobile: 'Mobile', phone: 'Phone', letter: 'Letter', visit: 'Visit', reception_day: 'Reception day', media: 'Media', sms: 'SMS',
  },
  state: {
    received: 'Received', dispatched: 'Dispatched', handling: 'Handling', return_review: 'Return under review', extension_requested: 'Extension requested',
    reply_review: 'Reply awaiting approval', replied: 'Replied', closed: 'Closed', not_accepted: 'Not accepted', merged: 'Merged', withdrawn: 'Withdrawn', invalid: 'Invalid',
  },
  queue: {
    label: 'Queues', to_dispatch: 'To dispatch', to_sign_for: 'To sign for', handling: 'Handling', due_soon: 'Due soon', overdue: 'Overdue',
    reply_review: 'Replies to approve', awaiting_callback: 'Awaiting call-back', mine: 'Mine', all: 'All', empty: 'The queue is empty', search: 'Search title, text or number',
  },
  level: {
    normal: 'On track', yellow: 'Due soon', red: 'Overdue', stopped_on_time: 'Done on time', stopped_late: 'Done late', open: 'Open', closed: 'Closed',
    provisional: 'Provisional', provisionalHint: 'The holidays of that year are not published yet; the deadline is provisional and is recomputed when they are.',
  },
  clock: {
    none: 'No clocks', stopped: 'Stopped', paused: 'Paused', left: '{text} left', overdueBy: 'Overdue by {text}',
    dh: '{d} d {h} h', hm: '{h} h {m} min', length: 'Limit {n} {unit}', extended: 'Extended by {n}',
    unit: { working_days: 'working days', workdays: 'working days', days: 'days', calendar_days: 'days', hours: 'hours' },
  },
  field: {
    reply: 'Reply', reason: 'Reason', reasons: 'Why you are not satisfied', note: 'Note', channel: 'The right channel', channelHint: 'e.g. 110, the court, arbitration',
    lead_org_id: 'Lead department', co_org_ids: 'Co-handling departments', days: 'Extra working days', resolved: 'Was the problem solved?',
    resolvedYes: 'Solved', resolvedNo: 'Not solved', satisfaction: 'Satisfaction', target: 'Merge into case number',
  },
  action: { intake: 'Received', rate: 'Rated', system: 'System' },
  satisfaction: { 5: 'Very satisfied', 4: 'Satisfied', 3: 'Fairly satisfied', 2: 'Dissatisfied', 1: 'Very dissatisfied' },
  role: {
    hotline_agent: 'Hotline agent', window_clerk: 'Window clerk', approval_officer: 'Approval officer', dispatcher: 'Dispatcher', handler: 'Handler', dept_head: 'Department head',
    supervisor: 'Supervisor', leader: 'Leader', system_admin: 'System admin', security_admin: 'Security admin', audit_admin: 'Audit admin',
    citizen: 'Citizen', enterprise: 'Enterprise', system: 'System',
  },
  intake: {
    caller: 'Caller', name: 'Name', phone: 'Phone', submit: 'Record the case', done: 'Recorded case {number}', lookUp: 'Answer from the knowledge base',
  },
  kb: { new: 'New article', title: 'Title', keywords: 'Keywords', status: 'Status', updated: 'Updated', body: 'Text', published: 'Published', draft: 'Draft' },
  org: {
    filter: 'Filter by name', pick: 'Choose an organisation on the left', code: 'Code', kind: 'Kind', region: 'Region', phone: 'Phone', posts: 'Posts', keyPost: 'Key post',
  },
  orgKind: { government: 'Government', department: 'Department', office: 'Office', center: 'Centre', township: 'Township / street' },
  user: {
    new: 'New user', org: 'Organisation', roles: 'Roles', status: 'Status', locked: 'Locked', inactive: 'Inactive', active: 'Active', created: 'Created',
    reset: 'Reset password', resetPrompt: 'New password for {name}', resetDone: 'The password was reset', unlock: 'Unlock', unlocked: 'Unlocked',
    initialPassword: 'Initial password', post: 'Post',
  },
  calendar: {
    prev: 'Previous year', next: 'Next year', published: 'Published', notPublished: 'Not published (provisional)', workingDays: '{n} working days',
    dayOff: 'Day off', makeup: 'Make-up working day', weekend: 'Weekend', working: 'Working', addLocal: 'Add a local day off', date: 'Date', name: 'Name',
    needDateName: 'Enter a date and a name', month: 'Month {m}',
    wd1: 'Mo', wd2: 'Tu', wd3: 'We', wd4: 'Th', wd5: 'Fr', wd6: 'Sa', wd7: 'Su',
  },
  audit: {
    at: 'Time', actor: 'Actor', role: 'Role', action: 'Action', object: 'Object', outcome: 'Outcome', source: 'Source address', hash: 'Hash',
    verify: 'Verify the hash chain', chainOk: 'The hash chain is intact ({n} rows checked)', chainBroken: 'The hash chain breaks at row {seq}: {detail}',
  },
  dash: {
    period: 'Period',
    uncategorised: 'Uncategorised', allRegions: 'Whole city', intake: 'Cases received', byDay: 'Intake by day and channel', byState: 'Cases by state',
    rates: 'The three rates by department', units: 'Indicators by department', unit: 'Department', overdueByUnit: 'Overdue by department', noOverdue: 'No overdue cases',
    hotCategories: 'Hot categories', byRegion: 'Cases by district / county', date: 'Date', count: 'Count',
    exportCsv: 'Export CSV', exportXlsx: 'Export Excel',
    rate: { response_rate: 'Response rate', resolution_rate: 'Resolution rate', satisfaction_rate: 'Satisfaction rate' },
    def: {
      response_rate: 'Cases signed for in time ÷ cases dispatched',
      resolution_rate: 'Cases confirmed solved at call-back ÷ cases called back',
      satisfaction_rate: 'Cases rated satisfied or better ÷ cases rated',
    },
    col: {
      dispatched: 'Dispatched', signed_on_time: 'Signed in time', called_back: 'Called back', resolved: 'Solved', rated: 'Rated', satisfied: 'Satisfied',
      on_time_rate: 'On-time rate', overdue: 'Overdue', returns: 'Returns', extensions: 'Extensions', redo: 'Redone',
    },
  },
};

export default en;
