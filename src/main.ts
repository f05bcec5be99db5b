import { ConfigError, loadConfig } from "./config/config.js";
import { startServer } from "./server.js";

try {
  const server = await startServer(loadConfig());
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`spool: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
