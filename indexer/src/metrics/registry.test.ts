import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { IndexerMetrics } from './indexer-metrics.js';
import { serveMetrics } from './server.js';

describe('Prometheus metrics', () => {
  it('renders counters, gauges and histograms in the text exposition format over HTTP', async () => {
    const metrics = new IndexerMetrics();
    metrics.blocksProcessed.inc({ deployment: 'Qm1' }, 5);
    metrics.blocksProcessed.inc({ deployment: 'Qm1' });
    metrics.latestBlock.set({ deployment: 'Qm1' }, 41);
    metrics.rpcRequests.inc({ deployment: 'Qm1', method: 'eth_getLogs' });
    metrics.storeWriteSeconds.observe({ deployment: 'Qm1' }, 0.02);
    metrics.storeWriteSeconds.observe({ deployment: 'Qm1' }, 3);
    const server: Server = await serveMetrics(metrics.registry, 0);
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain(
        '# TYPE indexer_blocks_processed_total counter\nindexer_blocks_processed_total{deployment="Qm1"} 6\n',
      );
      expect(text).toContain('indexer_latest_block{deployment="Qm1"} 41\n');
      expect(text).toContain('indexer_rpc_requests_total{deployment="Qm1",method="eth_getLogs"} 1\n');
      expect(text).toContain('indexer_store_write_seconds_bucket{deployment="Qm1",le="0.01"} 0\n');
      expect(text).toContain('indexer_store_write_seconds_bucket{deployment="Qm1",le="0.05"} 1\n');
      expect(text).toContain('indexer_store_write_seconds_bucket{deployment="Qm1",le="+Inf"} 2\n');
      expect(text).toContain('indexer_store_write_seconds_sum{deployment="Qm1"} 3.02\n');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('says which port is taken instead of throwing a stack', async () => {
    const metrics = new IndexerMetrics();
    const first = await serveMetrics(metrics.registry, 0);
    const address = first.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(serveMetrics(metrics.registry, port)).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise<void>((resolve) => first.close(() => resolve()));
    }
  });
});
