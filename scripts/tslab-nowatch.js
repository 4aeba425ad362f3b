// Preload for headless notebook runs (scripts/tslab-kernel.sh with SAFENET_TSLAB_WATCH=0): tslab watches the .ts
// files a notebook imports, and when one changes during a run (someone editing lib/ in the same tree) the next cell
// fails with "Unexpected pending rebuildTimer". A headless run reads each file once, so watching is switched off
// here; an interactive kernel (make notebook) keeps it and picks up edits to lib/.
'use strict';
const ts = require('@tslab/typescript-for-tslab');
const none = () => ({ close() {} });
ts.sys.watchFile = none;
ts.sys.watchDirectory = none;
