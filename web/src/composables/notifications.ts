// How many notifications the signed-in account has not read: the portal header's badge. Counted
// on navigation; the page that marks them read sets it at once.
import { ref } from 'vue';
import { listNotifications } from '@/api/account/notification';

const unread = ref(0);

async function refreshUnread(): Promise<void> {
  try {
    unread.value = (await listNotifications({ unread: true, limit: 100 }, { silent: true })).length;
  } catch {
    /* only a badge: the messages page shows the error */
  }
}

export function useUnread() {
  return { unread, refreshUnread };
}
