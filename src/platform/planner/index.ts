export {
  answerPlannedRelations,
  type ColumnDecoding,
  type EntityPlan,
  type Join,
  type PlanContribution,
  type PlannedRows,
  QueryPlanner,
  type RelationPlan,
  readPlanned,
} from "./planner.js";
