// Work queues of the signed-in user, with counts.
import { get, type RequestOptions } from '@/utils/request';

export interface QueueCount {
  queue: string;
  label: string;
  count: number;
}

export const listQueues = (opts: RequestOptions = {}) =>
  get<{ items: QueueCount[] }>('/queues', undefined, opts).then((r) => r.items);
