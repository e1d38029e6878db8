/** One call as the board shows it. */
export interface CallView {
  /** Ticket id + call instant: a recall is a new call. */
  key: string;
  number: string;
  windowLabel: string;
  at: number;
  /** A checked-in booking (预约): the board tags it, never names its citizen. */
  booked: boolean;
}
