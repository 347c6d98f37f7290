/** `…-after-commit`: the operation is applied, then the answer fails (500) or never comes (a lost answer). */
export const FAULT_KINDS = ['ratelimited', 'http500', 'http500-after-commit', 'timeout', 'timeout-after-commit', 'network-drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** Root field (`issueCreate`) or operation name (`CreateIssue`); absent = any request. */
  operation?: string;
  kind: FaultKind;
  /** How many matching requests fail; default 1, `Infinity` until `reset()`. */
  times?: number;
}

interface ArmedFault {
  operation: string | undefined;
  kind: FaultKind;
  remaining: number;
}

export class FaultQueue {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ operation: spec.operation, kind: spec.kind, remaining: spec.times ?? 1 });
  }

  /** The first armed fault that matches this request, consuming one of its `times`. */
  take(rootFields: readonly string[], operationName: string | null): FaultKind | undefined {
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.operation === undefined || f.operation === operationName || rootFields.includes(f.operation)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault.kind;
  }

  clear(): void {
    this.faults = [];
  }
}
