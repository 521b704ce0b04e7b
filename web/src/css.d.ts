// Vite bundles the CSS that main.tsx imports for its side effects; this tells TypeScript those imports exist.
declare module '*.css';
