// The i18n keys of a case's fields that read differently by kind: an application (办件) has an
// applicant, a handling type, an implementing organisation and a filing date where an appeal has
// a requester, a type, a lead department and the date it was received (受理 is a later step for
// an application).
export interface CaseLabelKeys {
  number: string;
  type: string;
  requester: string;
  leadOrg: string;
  createdAt: string;
  details: string;
  content: string;
}

export function caseLabelKeys(kind: string | undefined): CaseLabelKeys {
  if (kind === 'application') {
    return {
      number: 'case.applicationNumber', type: 'case.handlingType', requester: 'case.applicant', leadOrg: 'case.implementingOrg',
      createdAt: 'case.appliedAt', details: 'case.applicationDetails', content: 'application.content',
    };
  }
  return {
    number: 'case.number', type: 'case.type', requester: 'case.requester', leadOrg: 'case.leadOrg',
    createdAt: 'case.createdAt', details: 'case.details', content: 'case.content',
  };
}
