// What components need from the outside world, passed down once: the background api, a
// uuid source and navigation. Tests provide the real background service over fake-indexeddb.
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '@/lib/ui/api';

export interface Services {
  api: Api;
  uuid: () => string;
  openInTab: (reportId?: string) => Promise<void>;
  openOptions: () => Promise<void>;
  /** Where the app runs: the toolbar popup, or a full tab (wider, no "Open in tab"). */
  inTab: boolean;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ComponentChildren }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() outside <ServicesProvider>');
  return services;
}
