import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { applyTheme, storedTheme } from "./lib/theme";

// Before the first paint, so a chosen theme does not flash the system one.
applyTheme(storedTheme());

const target = document.getElementById("app");
if (!target) {
  throw new Error("index.html lost its #app element");
}

export default mount(App, { target });
