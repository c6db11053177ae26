export {
  answerPlannedRelations,
  type ColumnDecoding,
  type EntityPlan,
  type Join,
  type PlanContribution,
  type PlannedRows,
  QueryPlanner,
  type RelationPlan,
} from "./planner.js";
