import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri loads ui/dist in production and this dev server (src-tauri/tauri.conf.json devUrl) in development.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: "127.0.0.1",
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK on current Debian and WebView2 both handle ES2022.
    target: "es2022",
    sourcemap: false,
  },
});
