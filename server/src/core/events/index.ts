/** The event log's writer: one guarded recorder for every service (see `recorder.ts`). */
export {
  type CallEvent,
  type EventDeps,
  eventNotRecorded,
  eventRow,
  identifierAsGiven,
  outcomeOf,
  type RecordingState,
  recordCall,
  recordEvent,
} from './recorder.ts';
