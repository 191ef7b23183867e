/** Cluster mode was configured wrongly (e.g. an invalid node id). */
export class ClusterError extends Error {
  constructor(
    readonly code: "invalid_node_id",
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = "ClusterError";
  }
}
