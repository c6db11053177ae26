export {
  type ColumnDecoding,
  type EntityPlan,
  type Join,
  type PlanContribution,
  type PlannedRows,
  preloaded,
  QueryPlanner,
  type RelationPlan,
} from "./planner.js";
