// The benchmark imports the contracts package's TypeScript sources, which import the untyped
// `solc` (contracts declares it in its own src/solc.d.ts, outside this project's files).
declare module 'solc';
