/** Renderer entry: mounts the app. */
// First: zod must be jitless before any schema parses (see the module).
import './lib/zod-jitless.js';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target });
