// Ink loads its devtools bridge only when DEV=true; the bundle does not ship react-devtools-core.
export default { initialize() {}, connectToDevTools() {} };
