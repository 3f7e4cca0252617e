#!/bin/sh
# Builds the packages (docs/EMBEDDING.md, "Packages"):  build/packages/pack.sh [version] [output-folder]
#  - host (net10.0): NanoMqttBroker.Protocol.Host and NanoMqttBroker.Engine.Host, with dotnet pack;
#  - nanoFramework: NanoMqttBroker.Protocol, .Engine, .Client, .Net from the .nuspec files next to this script.
#    They need each assembly's .pe and .pdbx, which only nanoFramework's metadata processor makes (the Visual
#    Studio / VS Code extension's project system). With the compile-only stand-in of build/nanoFramework/ there is
#    none: the device build is still run (it checks the code), and the device packages are skipped, said so.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=${1:-0.1.0}
out=${2:-$root/artifacts/packages}
mkdir -p "$out"

dotnet pack "$root/host/Device.Protocol" -c Release -o "$out" -p:Version="$version" -nologo -v:q
dotnet pack "$root/host/Device.Broker" -c Release -o "$out" -p:Version="$version" -nologo -v:q

projectSystem=${NanoFrameworkProjectSystemPath:-$root/build/nanoFramework/}
dotnet build "$root/nfproj.sln" -c Release -p:NanoFrameworkProjectSystemPath="$projectSystem" -p:GenerateDocumentationFile=true -nologo -v:q
for id in Protocol Engine Client Net; do
  case $id in Protocol) asm=Device.Protocol;; Engine) asm=Device.Broker;; Client) asm=Device.Client;; Net) asm=Device.Net;; esac
  if [ ! -f "$root/$asm/bin/Release/$asm.pe" ]; then
    echo "NanoMqttBroker.$id: skipped, $asm.pe not built (the nanoFramework metadata processor is not available here)"
    continue
  fi
  if ! command -v nuget >/dev/null 2>&1; then
    echo "NanoMqttBroker.$id: skipped, the nuget command is not installed"
    continue
  fi
  nuget pack "$here/NanoMqttBroker.$id.nuspec" -OutputDirectory "$out" -Properties "version=$version;bin=$root" -NoDefaultExcludes
done
ls "$out"
