// Files attached to a case: an applicant's materials (each naming the item material it answers),
// photos, documents. The server recognises the type from the bytes (PDF, PNG, JPEG, OFD) and takes
// at most 10 MiB; the requester uploads while the case is open, staff on the case at any time it is.
import { buildUrl, get, post, type RequestOptions } from '@/utils/request';

export interface Attachment {
  id: number;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  /** The item material this file answers ("" when none). */
  material: string;
  uploader: string;
  created_at: string;
}

/** One material of an application's item, with how many files answer it. */
export interface MaterialStatus {
  name: string;
  required: boolean;
  uploaded: number;
}

export interface AttachmentList {
  items: Attachment[];
  /** Applications only: the materials of the item version applied for. */
  materials: MaterialStatus[];
}

/** The formats the server takes, for the file picker (it checks the bytes, not the name). */
export const ATTACHMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.ofd,application/pdf,image/png,image/jpeg,application/ofd';
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

const path = (number: string) => `/cases/${encodeURIComponent(number)}/attachments`;

export const listAttachments = (number: string, opts: RequestOptions = {}) => get<AttachmentList>(path(number), undefined, opts);
export const uploadAttachment = (number: string, file: File, material: string, opts: RequestOptions = {}) =>
  post<Attachment>(path(number), file, { ...opts, query: { name: file.name, material } });
/** The download address (same origin: the session cookie goes with it). */
export const attachmentUrl = (number: string, id: number) => buildUrl(`${path(number)}/${id}`);
