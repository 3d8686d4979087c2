/**
 * Types of the DRG engine. The scheme *data* (scheme.json and the code tables, see
 * data/schemes/<name>/FORMAT.md) is described by the `Raw…` types; `Scheme` is the compiled,
 * immutable form the grouper evaluates. Nothing here names a CHS-DRG code: a scheme is data.
 */

/** Numeric bounds of a condition node: all given bounds must hold; NaN satisfies none. */
export interface Bounds {
  readonly eq?: number;
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
}

/**
 * A condition tree node of FORMAT.md § 4.4 (one key per node). `fieldEmpty` is MedFund's own
 * addition, used only by the validation steps of a scheme profile (profile.json).
 */
export type Condition =
  | { readonly always: true }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly principalDiagnosisIn: string }
  | { readonly anyDiagnosisIn: string }
  | { readonly secondaryDiagnosisIn: string }
  | { readonly anyDiagnosisStartsWith: string }
  | { readonly diagnosisCount: Bounds }
  | { readonly principalProcedureIn: string }
  | { readonly anyProcedureIn: string }
  | { readonly principalProcedureValid: true }
  | { readonly anyProcedureValid: true }
  | { readonly gender: string }
  | { readonly ageYears: Bounds }
  | { readonly ageDays: Bounds }
  | { readonly weightGrams: Bounds }
  | { readonly hasMcc: true }
  | { readonly hasCc: true }
  | { readonly procedureTagPresent: { readonly table: string; readonly tag: string } }
  | { readonly distinctDiagnosisTagsAtLeast: { readonly table: string; readonly min: number } }
  | { readonly fieldEmpty: 'gender' | 'age' | 'ageDays' | 'weightGrams' };

export interface RawAmbiguousStep {
  readonly before?: string | null;
  readonly when: Condition;
  readonly code: string;
}

/** scheme.json (FORMAT.md § 5). */
export interface RawScheme {
  readonly scheme: string;
  readonly version: string;
  readonly source?: unknown;
  readonly formatVersion: number;
  readonly statuses: Readonly<Record<string, { readonly label: string; readonly reachable?: string }>>;
  readonly mdcOrder: readonly string[];
  readonly mdcs: Readonly<
    Record<
      string,
      {
        readonly name: string;
        readonly entry: Condition;
        readonly adrgs: readonly string[];
        readonly ambiguous?: readonly RawAmbiguousStep[];
        readonly ambiguousOnEntryFailure?: readonly RawAmbiguousStep[];
        /** 1.1 only, informational, ignored (FORMAT.md § 5) */
        readonly disabledBranches?: unknown;
      }
    >
  >;
  readonly adrgs: Readonly<
    Record<string, { readonly mdc: string; readonly name: string; readonly entry: Condition; readonly drgs: readonly string[] }>
  >;
  readonly drgs: Readonly<Record<string, { readonly adrg: string; readonly name: string; readonly when: Condition }>>;
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly tagTables: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One validation step of a profile: the record fails with CHECK_FAILED when `failWhen` holds. */
export interface ValidationStep {
  /** kebab-case issue code, e.g. `gender-missing` */
  readonly code: string;
  /** field the issue points at */
  readonly path: string;
  /** Chinese first, English second */
  readonly message: string;
  readonly failWhen: Condition;
}

export interface FixedCodes {
  readonly mdc: string;
  readonly adrg: string;
  readonly drg: string;
}

/**
 * MedFund's engine profile of a scheme (data/schemes/<name>/profile.json): the behaviour that
 * FORMAT.md describes in prose and that differs between scheme versions, written as data so that
 * a third scheme (a city's local variant) needs no code change.
 */
export interface SchemeProfile {
  readonly name: string;
  readonly title: string;
  /** ISO dates: discharges in [effectiveFrom, effectiveTo] default to this scheme */
  readonly effectiveFrom: string;
  readonly effectiveTo: string;
  readonly source: string;
  /** CSV text form of an empty list field: `[""]` (1.1) or `[]` (2.0) — FORMAT.md § 2 */
  readonly emptyListField: 'one-blank' | 'empty-list';
  readonly validation: readonly ValidationStep[];
  /** gender values replaced after validation (1.1: 男 → 1, 女 → 2) */
  readonly genderAliases: Readonly<Record<string, string>>;
  /** whether the principal diagnosis is classified as MCC/CC too (2.0) — FORMAT.md § 4.5 */
  readonly severityIncludesPrincipal: boolean;
  /** what happens when an ADRG matches but none of its DRGs does (FORMAT.md § 4.3 / 2.0 § 10.8) */
  readonly noDrgMatched: 'bare-adrg' | 'next-adrg';
  readonly results: {
    /** mdc/adrg/drg of the statuses without a group: FAIL, CHECK_FAILED, ZD_NOT_MAPPING, … */
    readonly fixed: Readonly<Record<string, FixedCodes>>;
    /** status key and adrg field of an ambiguous (歧义) result: QY / "QY" */
    readonly ambiguousStatus: string;
    readonly ambiguousAdrg: string;
    readonly successStatus: string;
    readonly failStatus: string;
    readonly checkFailedStatus: string;
    /** transcoding-mode statuses (1.1) */
    readonly diagnosisNotMappedStatus?: string;
    readonly procedureNotMappedStatus?: string;
  };
  /** optional transcoding maps (1.1 only, off unless asked for) — FORMAT.md 1.1 § 4.1 */
  readonly transcoding?: { readonly diagnosisMap: string; readonly procedureMap: string };
}

/** The tables of one scheme folder, as parsed JSON. The loader reads them; `compileScheme` is pure. */
export interface SchemeTables {
  readonly profile: SchemeProfile;
  readonly scheme: RawScheme;
  readonly cc: Readonly<Record<string, string>>;
  readonly mcc: Readonly<Record<string, string>>;
  readonly ccExclusion: Readonly<Record<string, string>>;
  readonly validProcedures: readonly string[];
  readonly drgNames: Readonly<Record<string, string>>;
  /** display names (optional: grouping never reads them) */
  readonly diagnosisNames?: Readonly<Record<string, string>>;
  readonly procedureNames?: Readonly<Record<string, string>>;
  readonly diagnosisMap?: Readonly<Record<string, string>>;
  readonly procedureMap?: Readonly<Record<string, string>>;
}

/**
 * A case as the grouper reads it (FORMAT.md § 2). Scalars are text as in the scheme's record
 * (numbers are accepted and used as they are); an absent scalar reads as NaN, empty text as 0.
 * Lists: principal first. `dept`, `losDays`, `dischargeType` do not take part in grouping.
 */
export interface DrgCase {
  readonly id?: string;
  /** "1" male, "2" female (1.1 also accepts 男/女) */
  readonly gender?: string;
  readonly age?: string | number;
  readonly ageDays?: string | number;
  readonly weightGrams?: string | number;
  readonly dept?: string;
  readonly losDays?: string | number;
  readonly dischargeType?: string;
  readonly diagnoses?: readonly string[];
  readonly procedures?: readonly string[];
}

/** Status keys of the schemes' FORMAT.md (SUCCESS, QY, FAIL, CHECK_FAILED, …). */
export type GroupStatus = string;

export interface SeverityItem {
  /** 0-based position in the diagnosis list */
  readonly position: number;
  readonly code: string;
  readonly level: 'mcc' | 'cc';
  /** the CC/MCC table id of the code */
  readonly table: string;
  /** true when the principal diagnosis' exclusion table equals `table` (排除) */
  readonly excluded: boolean;
}

export interface SeverityTrace {
  readonly principal: string;
  /** exclusion table of the principal diagnosis (cc-exclusion.json), or null */
  readonly exclusionTable: string | null;
  readonly items: readonly SeverityItem[];
  readonly hasMcc: boolean;
  readonly hasCc: boolean;
}

/** Why a case ended where it did: enough for a coder to follow the grouper step by step. */
export interface GroupTrace {
  readonly scheme: string;
  /** the validation step that failed (CHECK_FAILED) */
  readonly validation?: { readonly code: string; readonly path: string; readonly message: string };
  /** transcoding failure or rewrites (1.1 transcoding mode) */
  readonly transcoded?: readonly string[];
  /** MDCs whose entry held, in evaluation order (more than one = fall-through) */
  readonly mdcsEntered: readonly string[];
  /** entry rule of the MDC that produced the result */
  readonly mdcRule?: string;
  /** the ADRG that matched and its entry rule */
  readonly adrg?: string;
  readonly adrgRule?: string;
  /** the DRG rule that matched */
  readonly drgRule?: string;
  /** the ambiguous (歧义) step that produced a QY result */
  readonly ambiguousRule?: string;
  /** CC/MCC found and which exclusion removed which (for grouped and ambiguous cases) */
  readonly severity?: SeverityTrace;
}

export interface GroupResult {
  readonly status: GroupStatus;
  readonly mdc: string;
  readonly adrg: string;
  readonly drg: string;
  readonly trace: GroupTrace;
}

/** A compiled condition: evaluated against the per-case context. */
export type Predicate = (ctx: EvalContext) => boolean;

/** Per-case evaluation context (internal; exported for the compiler/grouper pair). */
export interface EvalContext {
  dx: readonly string[];
  px: readonly string[];
  gender: string | undefined;
  age: number;
  ageDays: number;
  weight: number;
  /** raw scalar fields for `fieldEmpty` */
  raw: DrgCase;
  /** lazily computed: -1 unknown, else bit 1 = hasMcc, bit 2 = hasCc */
  severity: number;
}

export interface CompiledStep {
  readonly kind: 'adrg' | 'ambiguous';
  readonly code: string;
  /** necessary conditions on the principal procedure / diagnosis (a fast pre-check) */
  readonly gatePx: ReadonlySet<string> | undefined;
  readonly gateDx: ReadonlySet<string> | undefined;
  readonly test: Predicate;
  readonly rule: string;
  /** for ADRG steps: its DRGs in order */
  readonly drgs: readonly { readonly code: string; readonly test: Predicate; readonly rule: string }[] | undefined;
}

/**
 * Candidate lookup for a list of rules by principal codes: each rule sits under its smallest gate
 * (procedure or diagnosis set) or in `always`. Indices ascend, so merging keeps the rule order.
 */
export interface RuleIndex {
  readonly byPx: ReadonlyMap<string, readonly number[]>;
  readonly byDx: ReadonlyMap<string, readonly number[]>;
  readonly always: readonly number[];
}

export interface CompiledMdc {
  readonly code: string;
  readonly name: string;
  readonly gatePx: ReadonlySet<string> | undefined;
  readonly gateDx: ReadonlySet<string> | undefined;
  readonly entry: Predicate;
  readonly rule: string;
  readonly steps: readonly CompiledStep[];
  readonly stepIndex: RuleIndex;
  readonly onEntryFailure: readonly { readonly code: string; readonly test: Predicate; readonly rule: string }[];
}

/** A loaded, compiled scheme. Immutable; share one instance across any number of cases. */
export interface Scheme {
  readonly name: string;
  /** "CHS-DRG 2.0" etc. */
  readonly title: string;
  readonly version: string;
  readonly formatVersion: number;
  readonly profile: SchemeProfile;
  readonly statuses: Readonly<Record<string, { readonly label: string }>>;
  readonly mdcs: readonly CompiledMdc[];
  readonly mdcIndex: RuleIndex;
  readonly validation: readonly { readonly step: ValidationStep; readonly test: Predicate }[];
  /** ADRG code → {mdc, name}; DRG code → {adrg, name} (names also of ambiguous codes) */
  readonly adrgInfo: ReadonlyMap<string, { readonly mdc: string; readonly name: string }>;
  readonly drgInfo: ReadonlyMap<string, { readonly adrg: string; readonly mdc: string; readonly name: string }>;
  readonly mdcNames: ReadonlyMap<string, string>;
  readonly cc: ReadonlyMap<string, string>;
  readonly mcc: ReadonlyMap<string, string>;
  readonly ccExclusion: ReadonlyMap<string, string>;
  readonly diagnosisNames?: Readonly<Record<string, string>>;
  readonly procedureNames?: Readonly<Record<string, string>>;
  readonly diagnosisMap?: ReadonlyMap<string, string>;
  readonly procedureMap?: ReadonlyMap<string, string>;
}
