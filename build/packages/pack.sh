#!/bin/sh
# Builds the packages (docs/EMBEDDING.md, "Packages"):  build/packages/pack.sh [version] [output-folder]
#  - host (net10.0): NanoMqttBroker.Protocol.Host and NanoMqttBroker.Engine.Host, with dotnet pack;
#  - nanoFramework: NanoMqttBroker.Protocol, .Engine, .Client, .Net from the .nuspec files next to this script,
#    packed with dotnet pack of NanoPackage.csproj (NuspecFile/NuspecProperties: no nuget CLI, no network).
#    lib/netnano1.0/ gets each assembly's .dll and .xml from the Release device build, and its .pe and .pdbx, which
#    only nanoFramework's metadata processor makes (the Visual Studio / VS Code extension's project system). With the
#    compile-only stand-in of build/nanoFramework/ there are none: the package is then built without them, its version
#    gets the prerelease mark "-nope" (".nope" after an existing prerelease), its description says it, and it goes to
#    <output-folder>/incomplete/ so that a push of <output-folder>/*.nupkg cannot publish it.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=${1:-0.1.0}
out=${2:-$root/artifacts/packages}
mkdir -p "$out"
out=$(cd "$out" && pwd)

dotnet pack "$root/host/Device.Protocol" -c Release -o "$out" -p:Version="$version" -nologo -v:q
dotnet pack "$root/host/Device.Broker" -c Release -o "$out" -p:Version="$version" -nologo -v:q

# Device.Net references the other three, so this one build makes the four packaged assemblies (and DeviceCheck runs
# on each); the XML docs come from GenerateDocumentationFile (NFProjectSystem.CSharp.targets).
projectSystem=${NanoFrameworkProjectSystemPath:-$root/build/nanoFramework/}
dotnet build "$root/Device.Net/Device.Net.nfproj" -c Release -p:NanoFrameworkProjectSystemPath="$projectSystem" -p:GenerateDocumentationFile=true -nologo -v:q

complete=yes
for asm in Device.Protocol Device.Broker Device.Client Device.Net; do
  [ -f "$root/$asm/bin/Release/$asm.pe" ] && [ -f "$root/$asm/bin/Release/$asm.pdbx" ] || complete=no
done
if [ $complete = yes ]; then
  nanoVersion=$version
  nanoOut=$out
else
  case $version in *-*) nanoVersion=$version.nope;; *) nanoVersion=$version-nope;; esac
  nanoOut=$out/incomplete
  mkdir -p "$nanoOut"
  echo "nanoFramework packages: INCOMPLETE, no .pe/.pdbx (the nanoFramework metadata processor is not available here);"
  echo "  packed with the .dll and .xml only as $nanoVersion into $nanoOut: not for publishing, a board cannot deploy them."
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for id in Protocol Engine Client Net; do
  case $id in Protocol) asm=Device.Protocol;; Engine) asm=Device.Broker;; Client) asm=Device.Client;; Net) asm=Device.Net;; esac
  nuspec=$here/NanoMqttBroker.$id.nuspec
  if [ $complete = no ]; then
    # The same nuspec without the .pe/.pdbx files, its description saying so.
    sed -e '/\.pe" target=/d' -e '/\.pdbx" target=/d' \
        -e 's|</description>| INCOMPLETE BUILD, DO NOT PUBLISH: no .pe/.pdbx (made without the nanoFramework metadata processor), so a board cannot deploy it; for inspection and reference only.</description>|' \
        "$nuspec" > "$work/NanoMqttBroker.$id.nuspec"
    nuspec=$work/NanoMqttBroker.$id.nuspec
  fi
  dotnet pack "$here/NanoPackage.csproj" -c Release -o "$nanoOut" -nologo -v:q \
    --artifacts-path "$work/artifacts-$id" \
    -p:NuspecFile="$nuspec" -p:NanoVersion="$nanoVersion" -p:NanoBin="$root" -p:PackageId=NanoMqttBroker.$id
  echo "NanoMqttBroker.$id $nanoVersion: $asm .dll .xml$( [ $complete = yes ] && echo ' .pe .pdbx')"
done
ls "$out" "$nanoOut"
