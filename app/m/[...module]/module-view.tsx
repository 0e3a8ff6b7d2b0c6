"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ReactNode } from "react";
import { mergeTimelinePages } from "@/lib/timeline";
import type { TimelineDto } from "@/lib/timeline";
import { mirrorColour } from "@/lib/web";
import { timelinePagesQuery } from "@/lib/web/react";
import { EventsList } from "./events-list";
import { EvidenceTable } from "./evidence-table";
import { LagSection } from "./lag-section";
import type { MorePages } from "./load-more";
import { ModuleHeader } from "./module-header";
import { MirrorsTable } from "./mirrors-table";
import { RetractionsTable } from "./retractions-table";
import { VersionDetail } from "./version-detail";
import { VersionMatrix } from "./version-matrix";

type Props = {
  module: string;
  version: string | null;
  at: number | null;
  /** The first page (or the version's answer), rendered by the server. */
  initial: TimelineDto;
  newest: { checkId: number; at: string };
  watched: boolean;
  /** Whether this request may change what is watched (the operator). */
  operator: boolean;
  /** The version doctor, rendered by the server page: a version page leads with it, right below the header. */
  doctor?: ReactNode;
};

/** Every page after the loaded ones, one after another (each pinned to the first page's check). */
async function fetchRemainingPages(fetchNextPage: () => Promise<{ hasNextPage: boolean; isError: boolean }>): Promise<void> {
  let result = await fetchNextPage();
  while (result.hasNextPage && !result.isError) result = await fetchNextPage();
}

/** The module (or version) page: owns the timeline's pages and hands each section its slice. */
export function ModuleView({ module, version, at, initial, newest, watched, operator, doctor }: Props) {
  const [checking, setChecking] = useState(false);
  // The server rendered the first page; the client owns the data from here, polls while a check runs, and loads
  // further pages (pinned to the first page's check) when a section asks for them.
  const query = useInfiniteQuery({
    ...timelinePagesQuery(module, at, version),
    initialData: { pages: [initial], pageParams: [{ page: 1, at }] },
    refetchInterval: checking && !at ? 1500 : false,
  });
  const timeline = mergeTimelinePages(query.data.pages) ?? initial;
  const more: MorePages = {
    hasMore: query.hasNextPage,
    loading: query.isFetchingNextPage,
    error: query.isFetchNextPageError ? query.error.message : null,
    next: () => void query.fetchNextPage(),
    all: () => void fetchRemainingPages(query.fetchNextPage),
  };
  const colour = (mirror: string) => mirrorColour(Math.max(0, timeline.mirrors.indexOf(mirror)));
  const { mirrors, reference, summaries } = timeline;

  return (
    <article className="module-page" data-testid="module-page" data-as-of={timeline.asOf.checkId}>
      <ModuleHeader module={module} version={version} at={at} timeline={timeline} newest={newest} watched={watched} operator={operator} versionCount={timeline.page.versions.total} onCheckPending={setChecking} doctorLeads={doctor !== undefined} />
      {doctor}
      <MirrorsTable summaries={summaries} asOfAt={timeline.asOf.at} colour={colour} />
      {version ? (
        <VersionDetail version={version} row={timeline.versions.find((v) => v.version === version)} mirrors={mirrors} reference={reference} summaries={summaries} colour={colour} />
      ) : (
        <VersionMatrix
          module={module}
          mirrors={mirrors}
          reference={reference}
          versions={timeline.versions}
          summaries={summaries}
          total={timeline.page.versions.total}
          more={more}
          colour={colour}
        />
      )}
      {/* A version's answer holds only what concerns it: its events, the retractions covering it. */}
      <RetractionsTable retractions={timeline.retractions} mirrors={mirrors} />
      <EventsList events={timeline.events} total={timeline.page.events.total} more={more} reference={reference} colour={colour} />
      {version ? null : <LagSection mirrors={mirrors} reference={reference} lagPoints={timeline.lagPoints} total={timeline.page.lagPoints.total} more={{ ...more, next: more.all }} />}
      <EvidenceTable module={module} version={version} asOf={timeline.asOf} summaries={summaries} checks={timeline.checks} checksUpToAsOf={timeline.checksUpToAsOf} colour={colour} />
    </article>
  );
}
