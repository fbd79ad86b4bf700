/**
 * The report document (src/report.ts `RunReport`) as a zod schema, for whoever wants to check one
 * (the tests check the simulated and the real side's). Apart from src/report.ts so that printing a
 * report does not import zod (~40 ms of a run's start-up).
 */
import { z } from "zod";

const kib = z.number().int().nonnegative();
export const processMeasureSchema = z.object({
  name: z.string(),
  pid: z.number().int().positive(),
  rssKiB: kib,
  pssKiB: kib,
  sharedCleanKiB: kib,
  sharedDirtyKiB: kib,
  privateCleanKiB: kib,
  privateDirtyKiB: kib,
  ussKiB: kib,
  minflt: kib,
  majflt: kib,
  byKind: z.record(
    z.enum(["pymallocArenas", "mallocHeap", "mallocMmap", "sharedMemory", "interpreterData"]),
    z.object({ rssKiB: kib, pssKiB: kib, sharedCleanKiB: kib, sharedDirtyKiB: kib, privateCleanKiB: kib, privateDirtyKiB: kib }),
  ).optional(),
});
export const runReportSchema = z.object({
  name: z.string(),
  python: z.string(),
  pageSize: z.number().int().positive(),
  snapshots: z.array(z.object({ label: z.string(), processes: z.array(processMeasureSchema) })),
  events: z.array(z.object({ step: z.number().int().positive(), process: z.string(), result: z.string() })).optional(),
  whatIf: z.object({ immortalObjects: z.boolean().optional(), immortalizeBeforeFork: z.boolean().optional() }).optional(),
});
