export { findHaproxy, haproxyVersion } from './haproxy.js';
export { failedRequests, type LoadCounts, type LoadStream } from './load.js';
export {
  DEFAULT_LOAD,
  describeResult,
  runRollingRestart,
  ScenarioError,
  type InstanceRecord,
  type RestartRecord,
  type RollingRestartOptions,
  type RollingRestartResult,
} from './scenario.js';
