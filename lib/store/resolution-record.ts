/** What one requirement is fetched as: another module@version, a local directory (not fetched), or itself. */
export type Replacement = { path: string; version: string } | { local: string };

export type ResolutionItem = {
  position: number;
  module: string;
  version: string;
  indirect: boolean;
  replacedBy: Replacement | null;
  excluded: boolean;
  /** The probe of what is fetched, once recorded; null while pending, and for local or excluded requirements. */
  probeId: number | null;
};

export type ResolutionStatus = "running" | "done" | "interrupted";

export type StoredResolution = {
  id: number;
  createdAt: Date;
  finishedAt: Date | null;
  inputHash: string;
  gomod: string;
  gosum: string | null;
  zips: boolean;
  status: ResolutionStatus;
  total: number;
  items: ResolutionItem[];
};

export type NewResolution = Omit<StoredResolution, "id" | "finishedAt" | "status" | "items"> & { items: Omit<ResolutionItem, "probeId">[] };

export type ResolutionStore = {
  createResolution(resolution: NewResolution): Promise<StoredResolution>;
  findResolution(id: number): Promise<StoredResolution | null>;
  /** The newest resolution of this input (go.mod, go.sum and options), for reuse within MIN_RECHECK_SECONDS. */
  lastResolution(inputHash: string): Promise<StoredResolution | null>;
  recordResolutionProbe(id: number, position: number, probeId: number): Promise<void>;
  finishResolution(id: number, status: "done" | "interrupted", at: Date): Promise<void>;
  /** Ids of resolutions still running (a restart left them so). */
  runningResolutions(): Promise<number[]>;
};
