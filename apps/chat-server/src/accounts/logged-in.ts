/** An account logged into, and whether its user stays on with no connection (always-on). */
export interface LoggedIn {
  readonly account: string;
  readonly alwaysOn: boolean;
}
