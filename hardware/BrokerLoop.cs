using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using Device.Net;
using nanoFramework.Runtime.Native;

namespace Device.Hardware
{
    /// <summary>
    /// The board's one loop: serve the sockets, watch the Wi-Fi link, print the status line. It never returns.
    /// </summary>
    internal sealed class BrokerLoop
    {
        // Looking up the address allocates (the helper lists the interfaces), so not on every pass.
        private const int WifiCheckMs = 5000;

        // The radio reconnects by itself (WifiReconnectionKind.Automatic); only if it has not managed within
        // this long does the loop ask the Wi-Fi helper to join again.
        private const int ReconnectAfterMs = 30000;

        // A pass that throws is a bug or a failing network stack, not a client (see Run). If every pass has
        // failed for this long while Wi-Fi is up, nothing but a fresh start will help an unattended board.
        private const int RebootAfterFailingMs = 120000;

        // The same failure repeated every pass would flood the debug output; one line per this long is enough.
        private const int FailureLogMs = 10000;

        // Pending connections the stack may queue while the loop is busy; the engine refuses beyond its slots anyway.
        private const int Backlog = 4;

        private readonly SocketTransport _transport;
        private readonly WifiConnection _wifi;
        private readonly StatusReport _status;
        private readonly int _port;
        private readonly int _maxClients;

        private bool _listening;
        private string _address;
        private long _nextWifiCheck;
        private long _lostSince = -1;
        private long _failingSince = -1;
        private long _nextFailureLog;
        private int _failures;

        public BrokerLoop(SocketTransport transport, WifiConnection wifi, StatusReport status, int port, int maxClients, string address)
        {
            _transport = transport;
            _wifi = wifi;
            _status = status;
            _port = port;
            _maxClients = maxClients;
            _address = address;
        }

        public void Run()
        {
            while (true)
            {
                long now = _transport.Now();
                try
                {
                    if (now >= _nextWifiCheck || _nextWifiCheck - now > WifiCheckMs)
                    {
                        CheckWifi(now);
                        now = _transport.Now();
                        _nextWifiCheck = now + WifiCheckMs;
                    }

                    bool busy = _listening && _transport.RunOnce(now);

                    // Log lines written during the pass reach $SYS/broker/log/# now, outside the engine's routing.
                    Log.FlushTopic();
                    _status.MaybeReport(now, _address);
                    Recovered();

                    // Idle: let the Wi-Fi and lwIP tasks run. Busy: straight into the next pass.
                    if (!busy)
                    {
                        Thread.Sleep(_listening ? 1 : 100);
                    }
                }
                catch (Exception ex)
                {
                    // Last resort. Nothing a client sends can get here: the engine answers malformed or hostile
                    // input with return codes and closed connections, and the transport turns socket errors
                    // into a closed connection. What does get here is a bug, or the stack failing under the
                    // loop (the listening socket, out of memory). Catching it keeps the other clients served;
                    // a loop that can no longer make a single good pass reboots the board.
                    Failed(ex, now);
                    Thread.Sleep(100);
                }
            }
        }

        private void CheckWifi(long now)
        {
            string address = NetworkInterface.GetIsNetworkAvailable() ? WifiConnection.Address() : null;
            if (address == null)
            {
                if (_lostSince < 0)
                {
                    _lostSince = now;
                    Log.Line("wifi: link down, waiting for the radio to reconnect");
                }
                else if (now - _lostSince >= ReconnectAfterMs || now < _lostSince)
                {
                    Log.Line("wifi: still down after " + ((now - _lostSince) / 1000).ToString() + " s, joining again");
                    _wifi.Connect();
                    _lostSince = _transport.Now();
                }

                return;
            }

            if (_lostSince >= 0)
            {
                Log.Line("wifi: link back after " + ((now - _lostSince) / 1000).ToString() + " s");
                _lostSince = -1;
            }

            if (address != _address)
            {
                // The listener is bound to every address, so it keeps working; connections made to the old
                // address are dead and the transport reports them as they fail.
                Log.Line(_address == null ? "wifi: connected, address " + address : "wifi: address changed from " + _address + " to " + address);
                _address = address;
                if (_listening)
                {
                    Announce();
                }
            }

            if (!_listening)
            {
                Listen();
            }
        }

        private void Listen()
        {
            try
            {
                _transport.Start(IPAddress.Any, _port, Backlog);
                _listening = true;
                Announce();
            }
            catch (Exception ex)
            {
                // Port taken or stack not ready yet: the next Wi-Fi check tries again.
                Log.Error("broker: cannot listen on port " + _port.ToString() + " yet", ex);
            }
        }

        private void Announce()
        {
            Log.Line("broker: listening on " + _address + ":" + _port.ToString() + " (profile Device: "
                + _maxClients.ToString() + " clients)");
        }

        private void Failed(Exception ex, long now)
        {
            _failures++;
            if (_failingSince < 0)
            {
                _failingSince = now;
            }

            if (_failures == 1 || now >= _nextFailureLog)
            {
                Log.Error("loop: pass failed (" + _failures.ToString() + " in a row)", ex);
                _nextFailureLog = now + FailureLogMs;
            }

            // While Wi-Fi is down the stack may fail every call; that is waited out, not rebooted over.
            if (_lostSince < 0 && _address != null && now - _failingSince >= RebootAfterFailingMs)
            {
                Log.Line("loop: no good pass for " + (RebootAfterFailingMs / 1000).ToString() + " s, rebooting");
                Power.RebootDevice(RebootOption.NormalReboot);
            }
        }

        private void Recovered()
        {
            if (_failures > 0)
            {
                Log.Line("loop: recovered after " + _failures.ToString() + " failed passes");
                _failures = 0;
                _failingSince = -1;
            }
        }
    }
}
