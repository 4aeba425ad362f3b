# node-gyp build of the optional native addon (the package builds it with native/build.mjs, which needs no
# download; node-gyp needs Node's headers: node-gyp rebuild --directory native --nodedir=/usr).
{
  "targets": [
    {
      "target_name": "safenet_native",
      "sources": ["safenet_native.cc"],
      "cflags_cc": ["-O3", "-fno-trapping-math", "-fno-math-errno", "-pthread", "-std=c++17"],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"],
      "libraries": ["-lopenblas"]
    }
  ]
}
