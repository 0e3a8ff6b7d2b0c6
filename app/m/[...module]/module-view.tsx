"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { isRetracted } from "@/lib/goproxy/browser";
import type { TimelineDto } from "@/lib/timeline";
import { timelineQuery } from "@/lib/web/react";
import { EventsList } from "./events-list";
import { EvidenceTable } from "./evidence-table";
import { LagSection } from "./lag-section";
import { ModuleHeader } from "./module-header";
import { MirrorsTable } from "./mirrors-table";
import { RetractionsTable } from "./retractions-table";
import { VersionDetail } from "./version-detail";
import { VersionMatrix } from "./version-matrix";

type Props = {
  module: string;
  version: string | null;
  at: number | null;
  initial: TimelineDto;
  newest: { checkId: number; at: string };
  watched: boolean;
};

/** The module (or version) page: owns the timeline data and hands each section its slice. */
export function ModuleView({ module, version, at, initial, newest, watched }: Props) {
  const [checking, setChecking] = useState(false);
  // The server rendered `initial`; the client owns the data from here and polls while a check runs.
  const { data } = useQuery({ ...timelineQuery(module, at), initialData: initial, refetchInterval: checking && !at ? 1500 : false });
  const timeline = data ?? initial;
  const colour = (mirror: string) => `var(--mirror-${Math.max(0, timeline.mirrors.indexOf(mirror)) % 6})`;
  const { mirrors, reference, summaries } = timeline;
  const retractions = version ? timeline.retractions.filter((r) => covers(r, version)) : timeline.retractions;
  const events = version
    ? timeline.events.filter((e) => e.version === version || (e.kind === "retraction_reached" && e.low !== undefined && covers({ low: e.low, high: e.high ?? e.low }, version)))
    : timeline.events;

  return (
    <article className="module-page" data-testid="module-page" data-as-of={timeline.asOf.checkId}>
      <ModuleHeader module={module} version={version} at={at} timeline={timeline} newest={newest} watched={watched} versionCount={timeline.versions.length} onCheckPending={setChecking} />
      <MirrorsTable summaries={summaries} asOfAt={timeline.asOf.at} colour={colour} />
      {version ? (
        <VersionDetail version={version} row={timeline.versions.find((v) => v.version === version)} mirrors={mirrors} reference={reference} summaries={summaries} colour={colour} />
      ) : (
        <VersionMatrix module={module} mirrors={mirrors} reference={reference} versions={timeline.versions} summaries={summaries} colour={colour} />
      )}
      <RetractionsTable retractions={retractions} mirrors={mirrors} />
      <EventsList events={events} reference={reference} colour={colour} />
      {version ? null : <LagSection mirrors={mirrors} reference={reference} lagPoints={timeline.lagPoints} />}
      <EvidenceTable module={module} version={version} asOf={timeline.asOf} summaries={summaries} checks={timeline.checks} checksUpToAsOf={timeline.checksUpToAsOf} colour={colour} />
    </article>
  );
}

/** Whether the closed interval [low, high] covers a version, in semver order like the go command. */
function covers(r: { low: string; high: string }, version: string): boolean {
  return isRetracted(version, [{ ...r, rationale: "" }]);
}
