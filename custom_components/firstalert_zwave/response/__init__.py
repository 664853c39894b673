"""The alarm response: one level-triggered controller per household.

Whenever a fact changes (an alarm sensor, who is home, a lock, light, thermostat or switch,
Home Assistant starting, a timer), the controller computes the state the house must be in
from the current facts and reconciles towards it. The decision part (``config``, ``facts``,
``memory``, ``decide``, ``messages``, ``dryrun``) imports nothing from Home Assistant; the
executor (``controller``, ``actions``, ``runner``, ``reader``, ``storage``, ``services``,
``checkup``, ``issues``) is the thin layer that reads states and calls actions.

This module imports nothing, so the pure modules can be imported on their own.
"""
