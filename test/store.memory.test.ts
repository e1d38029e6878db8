import { MemoryStore } from "../server/store/memory/memory-store.js";
import { describeStoreContract } from "./store.contract.js";

describeStoreContract("memory", async () => new MemoryStore());
