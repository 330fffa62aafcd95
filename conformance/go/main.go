// The Go client of the Switchboard conformance suite: msgraph-sdk-go, written as the Graph reference's
// "call: reject" Go snippet, with only the base URL and the token source changed.
//
// usage: reject BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID
// env:   SB_BASE_URL (https://host:port), SB_TENANT, SB_APP_ID, SB_APP_SECRET
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	graphcommunications "github.com/microsoftgraph/msgraph-sdk-go/communications"
	graphmodels "github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// switchboardTokens is an AccessTokenProvider that signs in at Switchboard's token endpoint with the
// client-credentials grant, as a bot does against Entra ID.
type switchboardTokens struct {
	base, tenant, appID, secret string
	token                       string
	hosts                       authentication.AllowedHostsValidator
}

func (t *switchboardTokens) GetAuthorizationToken(ctx context.Context, u *url.URL, _ map[string]interface{}) (string, error) {
	if t.token != "" {
		return t.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {t.appID},
		"client_secret": {t.secret},
		"scope":         {"https://graph.microsoft.com/.default"},
	}
	resp, err := http.PostForm(t.base+"/"+t.tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body.AccessToken == "" {
		return "", fmt.Errorf("token endpoint answered %d (%v)", resp.StatusCode, err)
	}
	t.token = body.AccessToken
	return t.token, nil
}

func (t *switchboardTokens) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return &t.hosts
}

func reject(ctx context.Context, graphClient *msgraphsdk.GraphServiceClient, callID string, reason graphmodels.RejectReason) error {
	requestBody := graphcommunications.NewCallsItemRejectPostRequestBody()
	requestBody.SetReason(&reason)
	return graphClient.Communications().Calls().ByCallId(callID).Reject().Post(ctx, requestBody, nil)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Println("FAIL usage: reject BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Println("FAIL " + err.Error())
		os.Exit(1)
	}
	fmt.Println("OK msgraph-sdk-go rejected busy + none (202), unknown call -> *odataerrors.ODataError 404 8522")
}

func run(busyID, noneID, unknownID string) error {
	ctx := context.Background()
	base := strings.TrimRight(os.Getenv("SB_BASE_URL"), "/")
	baseURL, err := url.Parse(base)
	if err != nil {
		return err
	}
	tokens := &switchboardTokens{base: base, tenant: os.Getenv("SB_TENANT"), appID: os.Getenv("SB_APP_ID"),
		secret: os.Getenv("SB_APP_SECRET"), hosts: authentication.NewAllowedHostsValidator([]string{baseURL.Host})}

	adapter, err := msgraphsdk.NewGraphRequestAdapter(authentication.NewBaseBearerTokenAuthenticationProvider(tokens))
	if err != nil {
		return err
	}
	adapter.SetBaseUrl(base + "/v1.0")
	graphClient := msgraphsdk.NewGraphServiceClient(adapter)

	if err := reject(ctx, graphClient, busyID, graphmodels.BUSY_REJECTREASON); err != nil {
		return fmt.Errorf("reject busy %s: %v", busyID, describe(err))
	}
	if err := reject(ctx, graphClient, noneID, graphmodels.NONE_REJECTREASON); err != nil {
		return fmt.Errorf("reject none %s: %v", noneID, describe(err))
	}

	err = reject(ctx, graphClient, unknownID, graphmodels.BUSY_REJECTREASON)
	var odataErr *odataerrors.ODataError
	switch {
	case err == nil:
		return fmt.Errorf("reject of unknown call %s succeeded", unknownID)
	case !errors.As(err, &odataErr):
		return fmt.Errorf("reject of unknown call: error is %T, not *odataerrors.ODataError: %v", err, err)
	case odataErr.GetErrorEscaped() == nil || odataErr.GetErrorEscaped().GetCode() == nil:
		return fmt.Errorf("reject of unknown call: ODataError without error.code (status %d)", odataErr.ResponseStatusCode)
	case *odataErr.GetErrorEscaped().GetCode() != "8522" || odataErr.ResponseStatusCode != 404:
		return fmt.Errorf("reject of unknown call: status %d code %q, want 404 8522",
			odataErr.ResponseStatusCode, *odataErr.GetErrorEscaped().GetCode())
	}
	return nil
}

func describe(err error) string {
	var odataErr *odataerrors.ODataError
	if errors.As(err, &odataErr) && odataErr.GetErrorEscaped() != nil {
		e := odataErr.GetErrorEscaped()
		return fmt.Sprintf("ODataError status %d code %s: %s", odataErr.ResponseStatusCode, deref(e.GetCode()), deref(e.GetMessage()))
	}
	var apiErr *abstractions.ApiError
	if errors.As(err, &apiErr) {
		return fmt.Sprintf("ApiError status %d: %v", apiErr.ResponseStatusCode, err)
	}
	return err.Error()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
