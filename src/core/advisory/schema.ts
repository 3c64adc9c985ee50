import { z } from 'zod';
import { SEVERITIES } from '../verdict.ts';

/**
 * The advisory catalog's schema (docs/ADVISORIES.md explains each field). Advisories are data:
 * this schema is the only place that says what a valid one looks like.
 */

export const COMPONENTS = ['systemd', 'docker', 'containerd', 'runc', 'kubelet', 'kernel'] as const;
export type Component = (typeof COMPONENTS)[number];

const schemeSchema = z.enum(['rpm', 'dpkg', 'systemd', 'upstream']);
const shortText = z.string().min(1).max(2000);
const versionText = z.string().min(1).max(128);

/** An upstream range, OSV style: introduced <= v < fixed (or <= lastAffected). */
export const rangeSchema = z
  .object({
    introduced: versionText.optional(),
    fixed: versionText.optional(),
    lastAffected: versionText.optional(),
  })
  .strict()
  .refine((r) => r.introduced !== undefined || r.fixed !== undefined || r.lastAffected !== undefined, {
    message: 'a range needs at least one of introduced, fixed, lastAffected',
  })
  .refine((r) => !(r.fixed !== undefined && r.lastAffected !== undefined), {
    message: 'a range takes fixed or lastAffected, not both',
  });

/**
 * A distro's own verdict on its package: the first entry whose os, version and stream match the
 * node decides, comparing the package version with the distro's own scheme.
 */
export const distroFixSchema = z
  .object({
    os: z.array(z.string().regex(/^[a-z0-9._-]{1,32}$/)).min(1),
    versions: z.array(z.string().regex(/^[0-9][0-9.]{0,15}$/)).min(1),
    /** Regular expression on the package version selecting a parallel stream (e.g. `\.el7_6(\.|$)`). */
    stream: z.string().min(1).max(200).optional(),
    scheme: z.enum(['rpm', 'dpkg']),
    introduced: versionText.optional(),
    fixed: versionText.optional(),
    notAffected: z.literal(true).optional(),
    note: shortText.optional(),
  })
  .strict()
  .refine((d) => d.fixed !== undefined || d.notAffected === true, {
    message: 'a distro entry needs fixed or notAffected: true',
  });

export const versionConditionSchema = z
  .object({
    component: z.enum(COMPONENTS),
    /** Scheme of the upstream ranges; defaults to `systemd` for systemd and `upstream` otherwise. */
    scheme: schemeSchema.optional(),
    ranges: z.array(rangeSchema).min(1),
    distros: z.array(distroFixSchema).optional(),
  })
  .strict();

export const factConditionSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/),
    equals: z.string().max(256).optional(),
    in: z.array(z.string().max(256)).min(1).optional(),
    matches: z.string().min(1).max(200).optional(),
    state: z.enum(['value', 'absent', 'timeout', 'error', 'missing']).optional(),
    gt: z.number().optional(),
    lt: z.number().optional(),
  })
  .strict()
  .refine((f) => Object.keys(f).length > 1, { message: 'a fact condition needs a test besides key' });

export type Range = z.infer<typeof rangeSchema>;
export type DistroFix = z.infer<typeof distroFixSchema>;
export type VersionCondition = z.infer<typeof versionConditionSchema>;
export type FactCondition = z.infer<typeof factConditionSchema>;

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly version: VersionCondition }
  | { readonly fact: FactCondition }
  /** Both facts have values and the values differ (e.g. docker's and kubelet's cgroup drivers). */
  | { readonly differ: readonly [string, string] };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z.object({ version: versionConditionSchema }).strict(),
    z.object({ fact: factConditionSchema }).strict(),
    z.object({ differ: z.tuple([z.string().min(1).max(64), z.string().min(1).max(64)]) }).strict(),
  ]),
);

export const actionSchema = z.enum(['upgrade', 'daemon-reexec', 'reboot', 'restart-service', 'configure']);

export const symptomSchema = z
  .object({
    when: conditionSchema,
    severity: z.enum(SEVERITIES),
    note: shortText,
  })
  .strict();

export const advisorySchema = z
  .object({
    id: z.string().regex(/^[A-Z0-9][A-Z0-9._-]{2,63}$/, 'ids are 3 to 64 upper-case letters, digits, dots, underscores and hyphens'),
    title: z.string().min(1).max(200),
    summary: shortText,
    severity: z.enum(SEVERITIES),
    components: z.array(z.enum(COMPONENTS)).min(1),
    match: conditionSchema,
    symptoms: z.array(symptomSchema).optional(),
    remediation: shortText,
    actions: z.array(actionSchema).min(1),
    rebootRequired: z.boolean(),
    reexecRequired: z.boolean(),
    references: z.array(z.url()).min(1),
    /** Facts behind the data, for reviewers (not shown to operators). */
    notes: z.array(shortText).optional(),
  })
  .strict();

export type Advisory = z.infer<typeof advisorySchema>;
export type Symptom = z.infer<typeof symptomSchema>;

export const catalogFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    advisories: z.array(z.unknown()),
  })
  .strict();
