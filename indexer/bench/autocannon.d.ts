// The part of autocannon's API the GraphQL benchmark uses (it ships no types).
declare module 'autocannon' {
  interface Result {
    requests: { average: number };
    latency: { p97_5: number; p50: number };
    errors: number;
    non2xx: number;
  }
  function autocannon(options: {
    url: string;
    connections: number;
    duration: number;
    /** Runs the load generator in that many worker threads. */
    workers?: number;
    requests: Array<{ method: string; headers: Record<string, string>; body: string }>;
  }): Promise<Result>;
  export default autocannon;
}
