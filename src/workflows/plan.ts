// Turns a spec into the ordered list of steps the workflow runs, with the implicit steps of each
// strategy made explicit so the status, the UI and the result all show the same list.
import type { PromotionSpec, StepSpec } from '../spec/types';
import { formatDuration } from '../spec/duration';

export interface PlannedStep {
  step: StepSpec;
  /** added by the strategy rather than written in the spec */
  implicit: boolean;
}

export function planSteps(spec: PromotionSpec): PlannedStep[] {
  const written = spec.strategy.steps.map((step) => ({ step, implicit: false }));
  const implicit = (step: StepSpec) => ({ step, implicit: true });
  switch (spec.strategy.kind) {
    case 'rolling': {
      const image = spec.strategy.productionImage ?? spec.image;
      const plan = [implicit({ kind: 'setImage', deployment: 'stable', image }), ...written];
      if (spec.strategy.scaleCanaryToZero && spec.target.canary) plan.push(implicit({ kind: 'scale', deployment: 'canary', replicas: 0 }));
      return plan;
    }
    case 'canary':
      return [implicit({ kind: 'setImage', deployment: 'canary', image: spec.image }), ...written];
    case 'blueGreen':
      return [implicit({ kind: 'setImage', deployment: 'canary', image: spec.image }), ...written];
  }
}

export function summarizeStep(step: StepSpec): string {
  switch (step.kind) {
    case 'setWeight': return `set weight ${step.weight}%`;
    case 'bake': return `bake ${formatDuration(step.duration)}`;
    case 'manualBake': return `wait for approval (deadline ${formatDuration(step.deadline)}, then ${step.onTimeout})`;
    case 'analysis': return `analyse ${step.checks.join(', ')}`;
    case 'setImage': return `set ${step.deployment} image${step.image ? ` ${step.image}` : ''}`;
    case 'scale': return `scale ${step.deployment} to ${step.replicas}`;
  }
}
