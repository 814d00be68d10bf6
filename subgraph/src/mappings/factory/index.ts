export { handleMarketCreated } from "./market-created";
export { handleMarketMetadata } from "./market-metadata";
