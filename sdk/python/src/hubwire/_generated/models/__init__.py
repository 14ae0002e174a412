""" Contains all the data models used in inputs/outputs """

from .analysis_request import AnalysisRequest
from .analytics_calls_groupby import AnalyticsCallsGroupby
from .analytics_leads_groupby import AnalyticsLeadsGroupby
from .analytics_summary import AnalyticsSummary
from .api_client_create import ApiClientCreate
from .api_client_create_metadata import ApiClientCreateMetadata
from .api_client_create_ratelimittier import ApiClientCreateRatelimittier
from .api_client_dashboard import ApiClientDashboard
from .api_client_out import ApiClientOut
from .api_client_out_metadata import ApiClientOutMetadata
from .api_client_out_ratelimittier import ApiClientOutRatelimittier
from .api_client_out_status import ApiClientOutStatus
from .api_client_update import ApiClientUpdate
from .api_client_update_metadata_type_0 import ApiClientUpdateMetadataType0
from .api_client_update_rate_limit_tier_type_0 import ApiClientUpdateRateLimitTierType0
from .api_client_update_status_type_0 import ApiClientUpdateStatusType0
from .api_key_create import ApiKeyCreate
from .api_key_create_environment import ApiKeyCreateEnvironment
from .api_key_create_tier_type_0 import ApiKeyCreateTierType0
from .api_key_out import ApiKeyOut
from .api_key_out_environment import ApiKeyOutEnvironment
from .api_key_out_status import ApiKeyOutStatus
from .api_key_out_tier_type_0 import ApiKeyOutTierType0
from .api_key_rotate import ApiKeyRotate
from .api_key_with_secret import ApiKeyWithSecret
from .api_key_with_secret_environment import ApiKeyWithSecretEnvironment
from .api_key_with_secret_status import ApiKeyWithSecretStatus
from .api_key_with_secret_tier_type_0 import ApiKeyWithSecretTierType0
from .attempt_out import AttemptOut
from .authorization_out import AuthorizationOut
from .authorized_app import AuthorizedApp
from .call_bucket import CallBucket
from .call_create import CallCreate
from .call_create_customfields import CallCreateCustomfields
from .call_create_direction import CallCreateDirection
from .call_create_outcome_type_0 import CallCreateOutcomeType0
from .call_create_status_type_0 import CallCreateStatusType0
from .call_out import CallOut
from .call_out_customfields import CallOutCustomfields
from .call_out_direction import CallOutDirection
from .call_out_outcome_type_0 import CallOutOutcomeType0
from .call_out_status import CallOutStatus
from .call_series import CallSeries
from .call_series_groupby import CallSeriesGroupby
from .call_stats import CallStats
from .call_stats_byoutcome import CallStatsByoutcome
from .call_stats_bystatus import CallStatsBystatus
from .call_update import CallUpdate
from .call_update_custom_fields_type_0 import CallUpdateCustomFieldsType0
from .call_update_direction_type_0 import CallUpdateDirectionType0
from .call_update_outcome_type_0 import CallUpdateOutcomeType0
from .call_update_status_type_0 import CallUpdateStatusType0
from .callback_secret_out import CallbackSecretOut
from .change_password_request import ChangePasswordRequest
from .chat_message_create import ChatMessageCreate
from .chat_message_create_channel_type_0 import ChatMessageCreateChannelType0
from .chat_message_create_metadata import ChatMessageCreateMetadata
from .chat_message_create_role import ChatMessageCreateRole
from .chat_message_out import ChatMessageOut
from .chat_message_out_metadata import ChatMessageOutMetadata
from .chat_message_out_role import ChatMessageOutRole
from .chat_session_out import ChatSessionOut
from .chat_session_out_channel import ChatSessionOutChannel
from .chat_session_out_status import ChatSessionOutStatus
from .chat_stats import ChatStats
from .check import Check
from .check_status import CheckStatus
from .client_usage_groupby import ClientUsageGroupby
from .connection_create import ConnectionCreate
from .connection_create_settings import ConnectionCreateSettings
from .connection_created import ConnectionCreated
from .connection_created_fieldmapping import ConnectionCreatedFieldmapping
from .connection_created_settings import ConnectionCreatedSettings
from .connection_created_status import ConnectionCreatedStatus
from .connection_metrics import ConnectionMetrics
from .connection_out import ConnectionOut
from .connection_out_fieldmapping import ConnectionOutFieldmapping
from .connection_out_settings import ConnectionOutSettings
from .connection_out_status import ConnectionOutStatus
from .connection_period_stats import ConnectionPeriodStats
from .connection_test_out import ConnectionTestOut
from .connection_totals import ConnectionTotals
from .connection_update import ConnectionUpdate
from .connection_update_field_mapping_type_0 import ConnectionUpdateFieldMappingType0
from .connection_update_settings_type_0 import ConnectionUpdateSettingsType0
from .connection_update_status_type_0 import ConnectionUpdateStatusType0
from .connections_period_stats import ConnectionsPeriodStats
from .connector_auth_out import ConnectorAuthOut
from .connector_auth_out_type import ConnectorAuthOutType
from .connector_catalog_out import ConnectorCatalogOut
from .connector_object_out import ConnectorObjectOut
from .connector_object_out_direction import ConnectorObjectOutDirection
from .connector_object_out_hubobject import ConnectorObjectOutHubobject
from .connector_out import ConnectorOut
from .connector_rate_limit_out import ConnectorRateLimitOut
from .connector_rate_limit_out_per import ConnectorRateLimitOutPer
from .current_limits import CurrentLimits
from .delivery_detail import DeliveryDetail
from .delivery_detail_payload import DeliveryDetailPayload
from .delivery_detail_status import DeliveryDetailStatus
from .delivery_out import DeliveryOut
from .delivery_out_status import DeliveryOutStatus
from .endpoint_usage import EndpointUsage
from .error_count import ErrorCount
from .error_detail import ErrorDetail
from .error_detail_details import ErrorDetailDetails
from .error_envelope import ErrorEnvelope
from .event_catalog_out import EventCatalogOut
from .event_out import EventOut
from .event_out_data import EventOutData
from .event_type_out import EventTypeOut
from .health_checks import HealthChecks
from .health_report import HealthReport
from .health_report_status import HealthReportStatus
from .hook_create import HookCreate
from .hook_out import HookOut
from .inbound_webhook_out import InboundWebhookOut
from .job_error import JobError
from .job_out import JobOut
from .job_out_input import JobOutInput
from .job_out_result_type_0 import JobOutResultType0
from .job_out_status import JobOutStatus
from .job_queued import JobQueued
from .job_queued_status import JobQueuedStatus
from .key_counts import KeyCounts
from .lead_bucket import LeadBucket
from .lead_bucket_bystatus import LeadBucketBystatus
from .lead_create import LeadCreate
from .lead_create_customfields import LeadCreateCustomfields
from .lead_create_status import LeadCreateStatus
from .lead_out import LeadOut
from .lead_out_customfields import LeadOutCustomfields
from .lead_out_status import LeadOutStatus
from .lead_series import LeadSeries
from .lead_series_groupby import LeadSeriesGroupby
from .lead_stats import LeadStats
from .lead_stats_bysource import LeadStatsBysource
from .lead_stats_bystatus import LeadStatsBystatus
from .lead_update import LeadUpdate
from .lead_update_custom_fields_type_0 import LeadUpdateCustomFieldsType0
from .lead_update_status_type_0 import LeadUpdateStatusType0
from .list_calls_direction_type_0 import ListCallsDirectionType0
from .list_calls_outcome_type_0 import ListCallsOutcomeType0
from .list_calls_status_type_0 import ListCallsStatusType0
from .list_clients_rate_limit_tier_type_0 import ListClientsRateLimitTierType0
from .list_clients_status_type_0 import ListClientsStatusType0
from .list_connection_logs_kind_type_0 import ListConnectionLogsKindType0
from .list_connection_logs_level_type_0 import ListConnectionLogsLevelType0
from .list_connections_status_type_0 import ListConnectionsStatusType0
from .list_deliveries_status_type_0 import ListDeliveriesStatusType0
from .list_jobs_status_type_0 import ListJobsStatusType0
from .list_jobs_type_type_0 import ListJobsTypeType0
from .list_leads_status_type_0 import ListLeadsStatusType0
from .list_sessions_channel_type_0 import ListSessionsChannelType0
from .list_sessions_status_type_0 import ListSessionsStatusType0
from .login_request import LoginRequest
from .me_out import MeOut
from .me_out_role import MeOutRole
from .o_auth_app_create import OAuthAppCreate
from .o_auth_app_create_clienttype import OAuthAppCreateClienttype
from .o_auth_app_create_ratelimittier import OAuthAppCreateRatelimittier
from .o_auth_app_out import OAuthAppOut
from .o_auth_app_out_clienttype import OAuthAppOutClienttype
from .o_auth_app_out_ratelimittier import OAuthAppOutRatelimittier
from .o_auth_app_out_status import OAuthAppOutStatus
from .o_auth_app_update import OAuthAppUpdate
from .o_auth_app_update_rate_limit_tier_type_0 import OAuthAppUpdateRateLimitTierType0
from .o_auth_app_update_status_type_0 import OAuthAppUpdateStatusType0
from .o_auth_app_with_secret import OAuthAppWithSecret
from .o_auth_app_with_secret_clienttype import OAuthAppWithSecretClienttype
from .o_auth_app_with_secret_ratelimittier import OAuthAppWithSecretRatelimittier
from .o_auth_app_with_secret_status import OAuthAppWithSecretStatus
from .page_api_client_out import PageApiClientOut
from .page_api_key_out import PageApiKeyOut
from .page_authorization_out import PageAuthorizationOut
from .page_call_out import PageCallOut
from .page_chat_message_out import PageChatMessageOut
from .page_chat_session_out import PageChatSessionOut
from .page_connection_out import PageConnectionOut
from .page_delivery_out import PageDeliveryOut
from .page_event_out import PageEventOut
from .page_job_out import PageJobOut
from .page_lead_out import PageLeadOut
from .page_o_auth_app_out import PageOAuthAppOut
from .page_sync_log_out import PageSyncLogOut
from .page_webhook_out import PageWebhookOut
from .pagination import Pagination
from .period_out import PeriodOut
from .rate_limit_info import RateLimitInfo
from .rate_limit_info_tier import RateLimitInfoTier
from .rate_limit_tiers import RateLimitTiers
from .rate_limits_out import RateLimitsOut
from .recover_input import RecoverInput
from .recover_out import RecoverOut
from .refresh_request import RefreshRequest
from .retry_config import RetryConfig
from .retry_config_out import RetryConfigOut
from .sync_day import SyncDay
from .sync_log_out import SyncLogOut
from .sync_log_out_kind import SyncLogOutKind
from .sync_log_out_level import SyncLogOutLevel
from .sync_totals import SyncTotals
from .test_result import TestResult
from .tier_limits_out import TierLimitsOut
from .time_bucket import TimeBucket
from .token_response import TokenResponse
from .transcript_out import TranscriptOut
from .transcript_segment_in import TranscriptSegmentIn
from .transcript_segment_out import TranscriptSegmentOut
from .transcript_upload import TranscriptUpload
from .usage_statistics import UsageStatistics
from .usage_window import UsageWindow
from .user_out import UserOut
from .user_out_role import UserOutRole
from .webhook_create import WebhookCreate
from .webhook_health import WebhookHealth
from .webhook_out import WebhookOut
from .webhook_secret_out import WebhookSecretOut
from .webhook_update import WebhookUpdate
from .webhook_with_secret import WebhookWithSecret

__all__ = (
    "AnalysisRequest",
    "AnalyticsCallsGroupby",
    "AnalyticsLeadsGroupby",
    "AnalyticsSummary",
    "ApiClientCreate",
    "ApiClientCreateMetadata",
    "ApiClientCreateRatelimittier",
    "ApiClientDashboard",
    "ApiClientOut",
    "ApiClientOutMetadata",
    "ApiClientOutRatelimittier",
    "ApiClientOutStatus",
    "ApiClientUpdate",
    "ApiClientUpdateMetadataType0",
    "ApiClientUpdateRateLimitTierType0",
    "ApiClientUpdateStatusType0",
    "ApiKeyCreate",
    "ApiKeyCreateEnvironment",
    "ApiKeyCreateTierType0",
    "ApiKeyOut",
    "ApiKeyOutEnvironment",
    "ApiKeyOutStatus",
    "ApiKeyOutTierType0",
    "ApiKeyRotate",
    "ApiKeyWithSecret",
    "ApiKeyWithSecretEnvironment",
    "ApiKeyWithSecretStatus",
    "ApiKeyWithSecretTierType0",
    "AttemptOut",
    "AuthorizationOut",
    "AuthorizedApp",
    "CallbackSecretOut",
    "CallBucket",
    "CallCreate",
    "CallCreateCustomfields",
    "CallCreateDirection",
    "CallCreateOutcomeType0",
    "CallCreateStatusType0",
    "CallOut",
    "CallOutCustomfields",
    "CallOutDirection",
    "CallOutOutcomeType0",
    "CallOutStatus",
    "CallSeries",
    "CallSeriesGroupby",
    "CallStats",
    "CallStatsByoutcome",
    "CallStatsBystatus",
    "CallUpdate",
    "CallUpdateCustomFieldsType0",
    "CallUpdateDirectionType0",
    "CallUpdateOutcomeType0",
    "CallUpdateStatusType0",
    "ChangePasswordRequest",
    "ChatMessageCreate",
    "ChatMessageCreateChannelType0",
    "ChatMessageCreateMetadata",
    "ChatMessageCreateRole",
    "ChatMessageOut",
    "ChatMessageOutMetadata",
    "ChatMessageOutRole",
    "ChatSessionOut",
    "ChatSessionOutChannel",
    "ChatSessionOutStatus",
    "ChatStats",
    "Check",
    "CheckStatus",
    "ClientUsageGroupby",
    "ConnectionCreate",
    "ConnectionCreated",
    "ConnectionCreatedFieldmapping",
    "ConnectionCreatedSettings",
    "ConnectionCreatedStatus",
    "ConnectionCreateSettings",
    "ConnectionMetrics",
    "ConnectionOut",
    "ConnectionOutFieldmapping",
    "ConnectionOutSettings",
    "ConnectionOutStatus",
    "ConnectionPeriodStats",
    "ConnectionsPeriodStats",
    "ConnectionTestOut",
    "ConnectionTotals",
    "ConnectionUpdate",
    "ConnectionUpdateFieldMappingType0",
    "ConnectionUpdateSettingsType0",
    "ConnectionUpdateStatusType0",
    "ConnectorAuthOut",
    "ConnectorAuthOutType",
    "ConnectorCatalogOut",
    "ConnectorObjectOut",
    "ConnectorObjectOutDirection",
    "ConnectorObjectOutHubobject",
    "ConnectorOut",
    "ConnectorRateLimitOut",
    "ConnectorRateLimitOutPer",
    "CurrentLimits",
    "DeliveryDetail",
    "DeliveryDetailPayload",
    "DeliveryDetailStatus",
    "DeliveryOut",
    "DeliveryOutStatus",
    "EndpointUsage",
    "ErrorCount",
    "ErrorDetail",
    "ErrorDetailDetails",
    "ErrorEnvelope",
    "EventCatalogOut",
    "EventOut",
    "EventOutData",
    "EventTypeOut",
    "HealthChecks",
    "HealthReport",
    "HealthReportStatus",
    "HookCreate",
    "HookOut",
    "InboundWebhookOut",
    "JobError",
    "JobOut",
    "JobOutInput",
    "JobOutResultType0",
    "JobOutStatus",
    "JobQueued",
    "JobQueuedStatus",
    "KeyCounts",
    "LeadBucket",
    "LeadBucketBystatus",
    "LeadCreate",
    "LeadCreateCustomfields",
    "LeadCreateStatus",
    "LeadOut",
    "LeadOutCustomfields",
    "LeadOutStatus",
    "LeadSeries",
    "LeadSeriesGroupby",
    "LeadStats",
    "LeadStatsBysource",
    "LeadStatsBystatus",
    "LeadUpdate",
    "LeadUpdateCustomFieldsType0",
    "LeadUpdateStatusType0",
    "ListCallsDirectionType0",
    "ListCallsOutcomeType0",
    "ListCallsStatusType0",
    "ListClientsRateLimitTierType0",
    "ListClientsStatusType0",
    "ListConnectionLogsKindType0",
    "ListConnectionLogsLevelType0",
    "ListConnectionsStatusType0",
    "ListDeliveriesStatusType0",
    "ListJobsStatusType0",
    "ListJobsTypeType0",
    "ListLeadsStatusType0",
    "ListSessionsChannelType0",
    "ListSessionsStatusType0",
    "LoginRequest",
    "MeOut",
    "MeOutRole",
    "OAuthAppCreate",
    "OAuthAppCreateClienttype",
    "OAuthAppCreateRatelimittier",
    "OAuthAppOut",
    "OAuthAppOutClienttype",
    "OAuthAppOutRatelimittier",
    "OAuthAppOutStatus",
    "OAuthAppUpdate",
    "OAuthAppUpdateRateLimitTierType0",
    "OAuthAppUpdateStatusType0",
    "OAuthAppWithSecret",
    "OAuthAppWithSecretClienttype",
    "OAuthAppWithSecretRatelimittier",
    "OAuthAppWithSecretStatus",
    "PageApiClientOut",
    "PageApiKeyOut",
    "PageAuthorizationOut",
    "PageCallOut",
    "PageChatMessageOut",
    "PageChatSessionOut",
    "PageConnectionOut",
    "PageDeliveryOut",
    "PageEventOut",
    "PageJobOut",
    "PageLeadOut",
    "PageOAuthAppOut",
    "PageSyncLogOut",
    "PageWebhookOut",
    "Pagination",
    "PeriodOut",
    "RateLimitInfo",
    "RateLimitInfoTier",
    "RateLimitsOut",
    "RateLimitTiers",
    "RecoverInput",
    "RecoverOut",
    "RefreshRequest",
    "RetryConfig",
    "RetryConfigOut",
    "SyncDay",
    "SyncLogOut",
    "SyncLogOutKind",
    "SyncLogOutLevel",
    "SyncTotals",
    "TestResult",
    "TierLimitsOut",
    "TimeBucket",
    "TokenResponse",
    "TranscriptOut",
    "TranscriptSegmentIn",
    "TranscriptSegmentOut",
    "TranscriptUpload",
    "UsageStatistics",
    "UsageWindow",
    "UserOut",
    "UserOutRole",
    "WebhookCreate",
    "WebhookHealth",
    "WebhookOut",
    "WebhookSecretOut",
    "WebhookUpdate",
    "WebhookWithSecret",
)
