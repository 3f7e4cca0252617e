using System.Device.Gpio;
using Device.Broker;

namespace Samples.Gateway
{
    /// <summary>
    /// The app's actuator: a local subscription on gateway/relay/set. "on" drives the pin high, "off" low; anything else
    /// is ignored. The handler runs inside the engine's routing, so it only switches the pin and raises a flag: the
    /// loop publishes the new state (Publish from a handler answers Busy).
    /// </summary>
    internal sealed class Relay : IMessageHandler
    {
        private readonly GpioPin _pin;

        public Relay(GpioPin pin)
        {
            _pin = pin;
            _pin.Write(PinValue.Low);
        }

        public bool On;

        public bool Changed;

        public void OnMessage(LocalMessage message)
        {
            // The views are valid during this call only; compare in place, copy nothing.
            bool on;
            if (message.Payload.Is("on"))
            {
                on = true;
            }
            else if (message.Payload.Is("off"))
            {
                on = false;
            }
            else
            {
                return;
            }

            _pin.Write(on ? PinValue.High : PinValue.Low);
            Changed = Changed || on != On;
            On = on;
        }
    }
}
