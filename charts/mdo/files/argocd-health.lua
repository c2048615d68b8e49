-- Argo CD health check for mdo.dev/ModelDeployment (resource.customizations.health.mdo.dev_ModelDeployment).
-- Maps the operator's kstatus conditions and phase to Argo CD health:
--   not yet observed by the operator (status missing or observedGeneration behind) -> Progressing
--   spec.suspend / phase Suspended                                                  -> Suspended
--   Stalled=True, phase Failed or Degraded                                          -> Degraded
--   Ready=True (for the current generation)                                         -> Healthy
--   anything else (Reconciling, Pending, Progressing)                               -> Progressing
local hs = { status = "Progressing", message = "Waiting for the MDO operator" }

local function condition(status, kind)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local status = obj.status
local generation = obj.metadata and obj.metadata.generation or 0

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended: the operator changes nothing while spec.suspend is true"
  return hs
end

if status == nil or status.observedGeneration == nil or status.observedGeneration < generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local phase = status.phase or ""
local ready = condition(status, "Ready")
local stalled = condition(status, "Stalled")
local reconciling = condition(status, "Reconciling")

if phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = describe(ready, "Suspended")
elseif stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = (stalled.reason or "Stalled") .. ": " .. describe(stalled, "the operator cannot make progress")
elseif phase == "Failed" or phase == "Degraded" then
  hs.status = "Degraded"
  local failure = status.lastFailure
  if failure ~= nil and failure.reason ~= nil then
    hs.message = phase .. ": " .. failure.reason .. ": " .. (failure.message or "")
  else
    hs.message = phase .. ": " .. describe(ready, "not healthy")
  end
elseif ready ~= nil and ready.status == "True" and (ready.observedGeneration == nil or ready.observedGeneration >= generation) then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
elseif reconciling ~= nil and reconciling.status == "True" then
  hs.message = (reconciling.reason or "Reconciling") .. ": " .. describe(reconciling, "in progress")
else
  hs.message = describe(ready, "Waiting for the ModelDeployment to become Ready")
end
return hs
