const t0=process.hrtime.bigint();
const ms=()=>Number(process.hrtime.bigint()-t0)/1e6;
require("/work/main/node_modules/cdktf"); const a=ms();
const {buildApp}=require("/work/main/dist/stacks/app.js");const {loadConfig}=require("/work/main/dist/constructs/config.js"); const b=ms();
const r=buildApp({config:loadConfig({PLATFORM_CONFIG:"/work/main/platform.config.json"}),selection:{},outdir:"/tmp/o2",checkLog:()=>{}}); const c=ms();
r.app.synth(); const d=ms();
console.log({cdktf:a,appModules:b-a,build:c-b,synth:d-c,total:d,modules:Object.keys(require.cache).length, rssMB:process.resourceUsage().maxRSS/1024});
const {checkDurationMs}=require("/work/main/dist/constructs/stack.js");
try{console.log("check ms", checkDurationMs(r.app));}catch(e){console.log(e.message)}
