// The services as the real extension pages get them: the background over runtime messages.
import { createApi, runtimeTransport } from '@/lib/ui/api';
import { earlyTransport } from '@/lib/ui/early';
import { openInTab, openOptions } from '@/lib/ui/navigation';
import type { Services } from './services';

export function browserServices(inTab: boolean): Services {
  return {
    // The popup's first requests were sent before this bundle loaded (lib/ui/early.ts).
    api: createApi(earlyTransport(runtimeTransport)),
    uuid: () => crypto.randomUUID(),
    openInTab,
    openOptions,
    inTab,
  };
}
