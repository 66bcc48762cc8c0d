import Foundation
import TLSTool

exit(ClientCommand.main())
