// The services as the real extension pages get them: the background over runtime messages.
import { createApi, runtimeTransport } from '@/lib/ui/api';
import { openInTab, openOptions } from '@/lib/ui/navigation';
import type { Services } from './services';

export function browserServices(inTab: boolean): Services {
  return {
    api: createApi(runtimeTransport),
    uuid: () => crypto.randomUUID(),
    openInTab,
    openOptions,
    inTab,
  };
}
