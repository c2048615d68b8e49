// The machine a run happened on, recorded with its results.
import { describeBaseMachine, packageVersion, type BaseMachine } from "../common/machine.ts";

export interface Machine extends BaseMachine {
  readonly undici: string;
  readonly nginx: string | undefined;
}

export function describeMachine(nginx: string | undefined): Machine {
  return { ...describeBaseMachine(), undici: packageVersion("undici"), nginx };
}
